package io.livestream.edge.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.edge.chunk.ChunkEncoder;
import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import io.livestream.edge.session.PublishDecision;
import io.livestream.edge.session.PublishGate;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The server over real sockets: connection limits and a shutdown that ends live publishes. */
class RtmpServerTest {
    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of("k1", "s1"));
    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final EdgeMetrics metrics = new EdgeMetrics();

    @Test
    void connectionsOverThePerAddressLimitAreClosed() throws Exception {
        RtmpEdgeConfig config = RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, -1).withConnectionLimits(2, 100);
        try (RtmpServer server = new RtmpServer(config, gate, sink, metrics)) {
            int port = server.start();
            try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port); Socket c = new Socket("127.0.0.1", port)) {
                // the limit is counted as connections become active, on several event loops: which of the three is
                // refused is not fixed, only that exactly one is
                List<Socket> open = new ArrayList<>(List.of(a, b, c));
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> {
                    open.removeIf(RtmpServerTest::closedByServer);
                    return open.size() == 2;
                });
                Thread.sleep(300);
                assertThat(open).as("the other two stay open").noneMatch(RtmpServerTest::closedByServer);
                handshake(open.get(0));
                Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> metrics.scrape().contains("rtmp_edge_connections_rejected_total 1.0"));
                assertThat(metrics.scrape()).contains("rtmp_edge_open_connections 2.0");
            }
        }
    }

    @Test
    void closingTheServerEndsLivePublishesOnce() throws Exception {
        RtmpServer server = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), gate, sink, metrics);
        int port = server.start();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            handshake(socket);
            ChunkEncoder encoder = new ChunkEncoder();
            send(socket, encoder, new RtmpMessage.Command(0, "connect", 1, Arrays.asList(Map.of("app", "live"))));
            send(socket, encoder, new RtmpMessage.Command(0, "createStream", 2, Arrays.asList((Object) null)));
            send(socket, encoder, new RtmpMessage.Command(1, "publish", 3, Arrays.asList(null, "k1", "live")));
            send(socket, encoder, new RtmpMessage.Video(1, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}));
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.records().size() == 1);
            assertThat(metrics.scrape()).contains("rtmp_edge_publishers 1.0");

            server.close();
            assertThat(gate.ended()).singleElement().satisfies(e -> assertThat(e.accepted().streamId()).isEqualTo("s1"));
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) { } // the server closed the connection
            assertThat(metrics.scrape()).contains("rtmp_edge_publishers 0.0");
        }
    }

    @Test
    void aGateThatHangsOnOnePublishDoesNotStopTheOtherPublishersMedia() throws Exception {
        // a hung Redis: every "slow" key's publish waits in the gate until the test lets it go
        CountDownLatch redisBack = new CountDownLatch(1);
        InMemoryPublishGate memory = new InMemoryPublishGate("live", Map.of("k1", "s1", "slow", "s2"));
        PublishGate hanging = new PublishGate() {
            @Override
            public PublishDecision begin(String app, String streamKey, String remoteAddress) {
                if ("slow".equals(streamKey)) {
                    try {
                        redisBack.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("Read timed out (redis)");
                }
                return memory.begin(app, streamKey, remoteAddress);
            }

            @Override
            public void end(PublishDecision.Accepted accepted, String reason) {
                memory.end(accepted, reason);
            }
        };
        try (RtmpServer server = new RtmpServer(RtmpEdgeConfig.defaults().withHost("127.0.0.1").withPorts(0, -1), hanging, sink, metrics);
             Socket publisher = new Socket("127.0.0.1", server.start())) {
            ChunkEncoder encoder = new ChunkEncoder();
            handshake(publisher);
            send(publisher, encoder, new RtmpMessage.Command(0, "connect", 1, Arrays.asList(Map.of("app", "live"))));
            send(publisher, encoder, new RtmpMessage.Command(1, "publish", 2, Arrays.asList(null, "k1", "live")));
            send(publisher, encoder, new RtmpMessage.Video(1, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}));
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.records().size() == 1);

            // more hung publishes than event loops, so that some share the live publisher's loop
            List<Socket> hung = new ArrayList<>();
            try {
                for (int i = 0; i < 2 * Runtime.getRuntime().availableProcessors() * 2 + 1; i++) {
                    Socket s = new Socket("127.0.0.1", server.port());
                    hung.add(s);
                    handshake(s);
                    ChunkEncoder e = new ChunkEncoder();
                    send(s, e, new RtmpMessage.Command(0, "connect", 1, Arrays.asList(Map.of("app", "live"))));
                    send(s, e, new RtmpMessage.Command(1, "publish", 2, Arrays.asList(null, "slow", "live")));
                }
                Thread.sleep(200);
                send(publisher, encoder, new RtmpMessage.Video(1, 33, new byte[] {0x27, 1, 0, 0, 0, 0x65}));
                Awaitility.await("the live publisher's next frame, while the gate hangs").atMost(2, TimeUnit.SECONDS)
                        .until(() -> sink.records().size() == 2);
            } finally {
                redisBack.countDown();
                for (Socket s : hung) s.close();
            }
        }
    }

    /** Whether the server closed this connection (end of stream within a short wait; silence means still open). */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(100);
            return socket.getInputStream().read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    private static void handshake(Socket socket) throws IOException {
        byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
        c0c1[0] = 3;
        socket.getOutputStream().write(c0c1);
        byte[] s0s1s2 = new byte[1 + 2 * Handshake.PACKET_SIZE];
        new DataInputStream(socket.getInputStream()).readFully(s0s1s2);
        socket.getOutputStream().write(Arrays.copyOfRange(s0s1s2, 1, 1 + Handshake.PACKET_SIZE)); // C2 echoes S1
    }

    private static void send(Socket socket, ChunkEncoder encoder, RtmpMessage message) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        encoder.encode(RtmpMessages.encode(message), buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        socket.getOutputStream().write(bytes);
    }
}
