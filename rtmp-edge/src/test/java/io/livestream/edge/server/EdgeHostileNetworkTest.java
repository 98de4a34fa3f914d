package io.livestream.edge.server;

import static io.livestream.netguard.RawSockets.assertClosedWithin;
import static io.livestream.netguard.RawSockets.closedByServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.edge.chunk.ChunkEncoder;
import io.livestream.edge.handshake.Handshake;
import io.livestream.edge.ingest.InMemoryIngestSink;
import io.livestream.edge.message.RtmpMessage;
import io.livestream.edge.message.RtmpMessages;
import io.livestream.edge.metrics.EdgeMetrics;
import io.livestream.edge.session.InMemoryPublishGate;
import io.livestream.netguard.CapturedLog;
import io.livestream.netguard.RawSockets;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real edge against hostile clients: half-open and dripped handshakes, connections that never publish, floods past
 * the per-address and total limits. Each is cut off within a bound and logged once, while a well-behaved publisher
 * (from its own loopback address where the flood fills one) keeps publishing. Timeouts are 1-2 s; the bounds asserted
 * leave seconds of margin for a loaded machine.
 */
class EdgeHostileNetworkTest {
    private static final int HANDSHAKE_TIMEOUT_S = 1;
    private static final int PUBLISH_TIMEOUT_S = 2;
    /** How long past its deadline a hostile connection may stay on a loaded 2-core machine. */
    private static final long MARGIN_MS = 4_000;

    private final InMemoryPublishGate gate = new InMemoryPublishGate("live", Map.of("k1", "s1", "k2", "s2"));
    private final InMemoryIngestSink sink = new InMemoryIngestSink();
    private final EdgeMetrics metrics = new EdgeMetrics();
    private final List<Socket> sockets = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(RtmpServer.class);
    private RtmpServer server;
    private int port;

    private void start(int perAddress, int total) throws Exception {
        RtmpEdgeConfig config = RtmpEdgeConfig.defaults().withHost("0.0.0.0").withPorts(0, -1).withConnectionLimits(perAddress, total)
                .withTimeouts(30, HANDSHAKE_TIMEOUT_S, PUBLISH_TIMEOUT_S);
        server = new RtmpServer(config, gate, sink, metrics);
        port = server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
        log.close();
    }

    @Test
    void halfOpenAndDrippedHandshakesAreClosedAtTheHandshakeDeadline() throws Exception {
        start(16, 100);
        Publisher good = Publisher.start(connect("127.0.0.1"), "k1");
        List<Socket> halfOpen = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Socket s = connect("127.0.0.1");
            byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
            c0c1[0] = 3;
            s.getOutputStream().write(c0c1); // and never C2
            halfOpen.add(s);
        }
        Socket dripping = connect("127.0.0.1");
        long opened = System.currentTimeMillis();
        Thread drip = RawSockets.drip(dripping, new byte[] {3}, new byte[] {0}, 300); // version 3, then one zero byte every 300 ms: the read timeout never fires

        for (Socket s : halfOpen) assertClosedWithin(s, opened, HANDSHAKE_TIMEOUT_S * 1000L + MARGIN_MS);
        assertClosedWithin(dripping, opened, HANDSHAKE_TIMEOUT_S * 1000L + MARGIN_MS);
        drip.interrupt();
        good.sendFrame(); // the publisher that did its handshake in time is still served
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.records().size() >= 2);
        assertThat(closedByServer(good.socket)).isFalse();
        assertThat(log.containing("the handshake not done within")).as("one line for six connections").hasSize(1);
    }

    @Test
    void aConnectionThatNeverPublishesIsClosedAtThePublishDeadline() throws Exception {
        start(16, 100);
        Socket idle = connect("127.0.0.1");
        long opened = System.currentTimeMillis();
        handshake(idle);
        ChunkEncoder encoder = new ChunkEncoder();
        send(idle, encoder, new RtmpMessage.Command(0, "connect", 1, Arrays.asList(Map.of("app", "live"))));
        Thread drip = RawSockets.drip(idle, new byte[] {3}, new byte[] {0}, 300); // then the start of a chunk, dripped: never a whole message
        Publisher good = Publisher.start(connect("127.0.0.1"), "k1");

        assertClosedWithin(idle, opened, PUBLISH_TIMEOUT_S * 1000L + MARGIN_MS);
        drip.interrupt();
        Thread.sleep(PUBLISH_TIMEOUT_S * 1000L); // past the good publisher's own deadline: publishing met it
        good.sendFrame();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.records().size() >= 2);
        assertThat(closedByServer(good.socket)).isFalse();
        assertThat(log.containing("a publish not done within")).hasSize(1);
    }

    @Test
    void floodsPastThePerAddressAndTotalLimitsAreRefusedWhileOthersPublish() throws Exception {
        start(5, 8);
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 12; i++) flood.add(connect("127.0.0.1"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(flood) == 5);
        Publisher good = Publisher.start(connect("127.0.0.2"), "k1"); // another address is not refused
        List<Socket> second = new ArrayList<>();
        for (int i = 0; i < 5; i++) second.add(connect("127.0.0.3"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(second) == 2); // 5 + 1 + 2 = the total of 8

        good.sendFrame();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> sink.records().size() >= 2);
        assertThat(closedByServer(good.socket)).isFalse();
        assertThat(metrics.scrape()).contains("rtmp_edge_connections_rejected_total 10.0");
        assertThat(log.containing("the per-address limit")).as("7 refused from one address, one line").hasSize(1);
        assertThat(log.containing("open, the limit")).as("3 refused over the total, one line").hasSize(1);
    }

    private Socket connect(String fromAddress) throws IOException {
        Socket s = RawSockets.connect(fromAddress, port);
        sockets.add(s);
        return s;
    }

    private static int openOf(List<Socket> sockets) {
        sockets.removeIf(RawSockets::closedByServer);
        return sockets.size();
    }

    static void handshake(Socket socket) throws IOException {
        byte[] c0c1 = new byte[Handshake.C0C1_SIZE];
        c0c1[0] = 3;
        socket.getOutputStream().write(c0c1);
        byte[] s0s1s2 = new byte[1 + 2 * Handshake.PACKET_SIZE];
        new DataInputStream(socket.getInputStream()).readFully(s0s1s2);
        socket.getOutputStream().write(Arrays.copyOfRange(s0s1s2, 1, 1 + Handshake.PACKET_SIZE)); // C2 echoes S1
    }

    static void send(Socket socket, ChunkEncoder encoder, RtmpMessage message) throws IOException {
        ByteBuf buf = Unpooled.buffer();
        encoder.encode(RtmpMessages.encode(message), buf);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        socket.getOutputStream().write(bytes);
    }

    /** A well-behaved publisher: handshake, connect, createStream, publish, then a video frame whenever asked. */
    private record Publisher(Socket socket, ChunkEncoder encoder) {
        static Publisher start(Socket socket, String key) throws IOException {
            handshake(socket);
            Publisher p = new Publisher(socket, new ChunkEncoder());
            send(socket, p.encoder, new RtmpMessage.Command(0, "connect", 1, Arrays.asList(Map.of("app", "live"))));
            send(socket, p.encoder, new RtmpMessage.Command(0, "createStream", 2, Arrays.asList((Object) null)));
            send(socket, p.encoder, new RtmpMessage.Command(1, "publish", 3, Arrays.asList(null, key, "live")));
            p.sendFrame();
            return p;
        }

        void sendFrame() throws IOException {
            send(socket, encoder, new RtmpMessage.Video(1, 0, new byte[] {0x17, 0, 0, 0, 0, 1, 0x64, 0, 0x1f}));
        }
    }
}
