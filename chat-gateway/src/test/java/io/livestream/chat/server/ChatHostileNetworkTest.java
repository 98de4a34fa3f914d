package io.livestream.chat.server;

import static io.livestream.netguard.RawSockets.assertClosedWithin;
import static io.livestream.netguard.RawSockets.closedByServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.chat.ChatGatewayConfig;
import io.livestream.chat.Fakes;
import io.livestream.common.time.Clock;
import io.livestream.netguard.CapturedLog;
import io.livestream.netguard.ConnectionLimits;
import io.livestream.netguard.RawSockets;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real gateway server against hostile clients: dripped and idle HTTP connections, a WebSocket that never answers
 * pings, frame floods (pings included) and oversized frames, connection floods past the per-address and total
 * limits, oversized headers. Each is cut off within a bound and logged once, while a well-behaved chat client (the
 * JDK's WebSocket, which answers pings, from its own loopback address where a flood fills one) keeps its socket.
 * Kafka and Redis are the in-memory fakes; the server, its pipeline and the sockets are real.
 */
class ChatHostileNetworkTest {
    private static final long MARGIN_MS = 4_000;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Fakes fakes = new Fakes();
    private final List<Socket> sockets = new ArrayList<>();
    private final List<WebSocket> clients = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(ChatServer.class);
    private ChatServer server;
    private int port;

    private void start(ConnectionLimits limits, int idleSec, int requestSec, int pingSec) throws Exception {
        ChatGatewayConfig config = fakes.config.withPort(0).withConnectionLimits(limits).withTimeouts(idleSec, requestSec, pingSec);
        // the system clock: the flood buckets refill as they do in production
        server = new ChatServer(new ChatServices(config, fakes.rooms, fakes.tokens, fakes.roles, fakes.publisher, fakes.store,
                fakes.verdicts, Runnable::run, Clock.SYSTEM));
        port = server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (WebSocket ws : clients) ws.abort();
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
        log.close();
    }

    @Test
    void drippedAndIdleHttpConnectionsAreClosedWhileAChatClientIsServed() throws Exception {
        start(ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS, 1, 1, 30);
        Socket dripping = open("127.0.0.1");
        Socket idle = open("127.0.0.1");
        long opened = System.currentTimeMillis();
        Thread drip = RawSockets.drip(dripping, ascii("GET /chat/s1 HTTP/1.1\r\nHost: x\r\n"), ascii("X-Slow: 1\r\n"), 300);
        Client good = Client.connect(port);
        clients.add(good.socket);

        assertClosedWithin(dripping, opened, 1_000 + MARGIN_MS);
        assertClosedWithin(idle, opened, 1_000 + MARGIN_MS);
        drip.interrupt();
        Thread.sleep(1_500); // past the HTTP idle timeout: an upgraded socket is not subject to it
        good.assertAlive();
        assertThat(log.containing("request not complete within 1000 ms")).hasSize(1);
    }

    @Test
    void aWebSocketThatNeverAnswersPingsIsClosedAfterTwoIntervals() throws Exception {
        start(ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS, 30, 10, 1);
        List<Socket> deaf = new ArrayList<>();
        for (int i = 0; i < 3; i++) deaf.add(upgrade(open("127.0.0.1")));
        long opened = System.currentTimeMillis();
        Client good = Client.connect(port);
        clients.add(good.socket);

        for (Socket s : deaf) assertClosedWithin(s, opened, 2_000 + MARGIN_MS);
        good.assertAlive(); // it answered every ping
        assertThat(log.containing("no pong within 1 s")).as("three closed, one line").hasSize(1);
    }

    @Test
    void frameFloodsAndOversizedFramesCutOnlyTheirOwnSocket() throws Exception {
        start(ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS, 30, 10, 30);
        Client good = Client.connect(port);
        clients.add(good.socket);
        List<Socket> flooders = new ArrayList<>();
        for (int i = 0; i < 3; i++) flooders.add(upgrade(open("127.0.0.1")));
        long started = System.currentTimeMillis();
        for (Socket s : flooders) {
            byte[] pings = new byte[0];
            for (int f = 0; f < 50; f++) pings = concat(pings, maskedFrame(0x9, new byte[0])); // 50 pings in one write
            s.getOutputStream().write(pings);
        }
        Socket oversized = upgrade(open("127.0.0.1"));
        oversized.getOutputStream().write(maskedFrameHeader(0x1, 1 << 20)); // announces 1 MiB, over the 64 KiB limit

        for (Socket s : flooders) assertClosedWithin(s, started, MARGIN_MS);
        assertClosedWithin(oversized, started, MARGIN_MS);
        good.assertAlive();
        assertThat(log.containing("cutting flooding connection")).as("three cut, one line").hasSize(1);
    }

    @Test
    void floodsPastThePerAddressAndTotalLimitsAreRefusedWhileAChatClientIsServed() throws Exception {
        start(new ConnectionLimits(5, 10), 30, 10, 30);
        Client good = Client.connect(port); // from 127.0.0.1
        clients.add(good.socket);
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 8; i++) flood.add(open("127.0.0.2"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(flood) == 5);
        Client another = Client.connect(port); // 127.0.0.1 is not the flooding address
        clients.add(another.socket);
        List<Socket> second = new ArrayList<>();
        for (int i = 0; i < 8; i++) second.add(open("127.0.0.3"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(second) == 3); // 2 + 5 + 3 = the total of 10

        good.assertAlive();
        another.assertAlive();
        assertThat(log.containing("the per-address limit")).hasSize(1);
        assertThat(log.containing("open, the limit")).hasSize(1);
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        start(ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS, 30, 10, 30);
        try (Socket s = RawSockets.connect("127.0.0.1", port)) {
            s.getOutputStream().write(ascii("GET /chat/s1 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n"));
            RawSockets.Response r = RawSockets.read(s.getInputStream());
            assertThat(r.status()).isEqualTo(431);
            assertThat(r.body()).isEqualTo("{\"error\":\"request headers too large\"}");
            assertClosedWithin(s, System.currentTimeMillis(), MARGIN_MS);
        }
    }

    private Socket open(String from) throws IOException {
        Socket s = RawSockets.connect(from, port);
        sockets.add(s);
        return s;
    }

    /** A WebSocket upgrade by hand on {@code s}, read up to the end of the 101; then the socket is the test's to abuse. */
    private static Socket upgrade(Socket s) throws IOException {
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(ascii("GET /chat/s1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"));
        RawSockets.Response r = RawSockets.read(s.getInputStream());
        assertThat(r.status()).isEqualTo(101);
        return s;
    }

    /** A client frame: FIN, the opcode, a zero mask (so the payload goes as it is). */
    private static byte[] maskedFrame(int opcode, byte[] payload) {
        return concat(maskedFrameHeader(opcode, payload.length), payload);
    }

    private static byte[] maskedFrameHeader(int opcode, int length) {
        if (length < 126) return new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | length), 0, 0, 0, 0};
        return new byte[] {(byte) (0x80 | opcode), (byte) (0x80 | 127), 0, 0, 0, 0, (byte) (length >>> 24), (byte) (length >>> 16),
                (byte) (length >>> 8), (byte) length, 0, 0, 0, 0};
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int openOf(List<Socket> sockets) {
        sockets.removeIf(s -> closedByServer(s));
        return sockets.size();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A well-behaved read-only chat client: the JDK's WebSocket, which answers pings by itself. */
    private record Client(WebSocket socket, List<String> frames, CompletableFuture<Integer> closed) {
        static Client connect(int port) throws Exception {
            List<String> frames = new CopyOnWriteArrayList<>();
            CompletableFuture<Integer> closed = new CompletableFuture<>();
            WebSocket ws = HTTP.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/chat/s1"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            frames.add(data.toString());
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onPing(WebSocket w, ByteBuffer message) {
                            w.request(1); // the JDK sends the pong itself
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket w, int status, String reason) {
                            closed.complete(status);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket w, Throwable error) {
                            closed.complete(-1);
                        }
                    }).get(10, TimeUnit.SECONDS);
            Client c = new Client(ws, frames, closed);
            Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> frames.stream().anyMatch(f -> f.contains("\"welcome\"")));
            return c;
        }

        /** Still open, and the gateway still answers it: a ping gets its pong. */
        void assertAlive() throws Exception {
            assertThat(closed).as("the well-behaved client's socket").isNotDone();
            assertThat(socket.isInputClosed()).isFalse();
            socket.sendPing(ByteBuffer.wrap(new byte[] {1})).get(5, TimeUnit.SECONDS);
            assertThat(closed).isNotDone();
        }
    }
}
