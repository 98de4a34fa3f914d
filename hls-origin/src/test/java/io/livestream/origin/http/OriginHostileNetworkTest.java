package io.livestream.origin.http;

import static io.livestream.netguard.RawSockets.assertClosedWithin;
import static io.livestream.netguard.RawSockets.closedByServer;
import static io.livestream.netguard.RawSockets.connect;
import static io.livestream.netguard.RawSockets.getOnce;
import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.netguard.CapturedLog;
import io.livestream.netguard.ConnectionLimits;
import io.livestream.netguard.RawSockets;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoreConfig;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real origin against hostile clients: dripped requests (slowloris, headers and body), idle connections,
 * oversized request lines and headers, floods past the per-address and total limits. Each is cut off within a bound
 * and logged once, while a well-behaved client (from its own loopback address where a flood fills one) gets its
 * playlist. Timeouts of 1 s; the bounds leave seconds of margin for a loaded machine.
 */
class OriginHostileNetworkTest {
    private static final long MARGIN_MS = 4_000;
    private static final String MASTER = "/live/live1/ts/master.m3u8"; // the records fed are MPEG-TS

    private final SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(3));
    private final List<Socket> sockets = new ArrayList<>();
    private final CapturedLog log = CapturedLog.of(OriginServer.class);
    private OriginServer server;
    private int port;

    private void start(ConnectionLimits limits, int idleSec, int requestSec) throws Exception {
        for (long seq = 0; seq < 3; seq++) store.onMediaRecord(segment("live1", "a", "720p", seq, 2.0, 4000));
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("0.0.0.0").withPort(0).withConnectionLimits(limits)
                .withTimeouts(idleSec, requestSec), store);
        port = server.start();
    }

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) s.close();
        if (server != null) server.close();
        log.close();
    }

    private Socket open(String from) throws IOException {
        Socket s = connect(from, port);
        sockets.add(s);
        return s;
    }

    private void assertServed(String from) throws IOException {
        RawSockets.Response r = getOnce(from, port, MASTER);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).startsWith("#EXTM3U");
    }

    @Test
    void drippedRequestsAreCutAtTheRequestDeadlineWhileOthersAreServed() throws Exception {
        start(OriginConfig.DEFAULT_CONNECTION_LIMITS, 30, 1);
        Socket headers = open("127.0.0.1");
        Socket body = open("127.0.0.1");
        long opened = System.currentTimeMillis();
        // one header byte every 300 ms: each byte resets an idle timeout, never the request deadline
        Thread a = RawSockets.drip(headers, ascii("GET /health HTTP/1.1\r\nHost: x\r\n"), ascii("X-Slow: 1\r\n"), 300);
        Thread b = RawSockets.drip(body, ascii("POST /api/streams HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n"), ascii("{"), 300);
        assertServed("127.0.0.1");

        assertClosedWithin(headers, opened, 1_000 + MARGIN_MS);
        assertClosedWithin(body, opened, 1_000 + MARGIN_MS);
        a.interrupt();
        b.interrupt();
        assertServed("127.0.0.1");
        assertThat(log.containing("request not complete within 1000 ms")).as("two cut, one line").hasSize(1);
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        start(OriginConfig.DEFAULT_CONNECTION_LIMITS, 1, 10);
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 5; i++) idle.add(open("127.0.0.1"));
        Socket keptAlive = open("127.0.0.1");
        long opened = System.currentTimeMillis();
        assertThat(RawSockets.get(keptAlive, MASTER).status()).isEqualTo(200); // then nothing more on it

        for (Socket s : idle) assertClosedWithin(s, opened, 1_000 + MARGIN_MS);
        assertClosedWithin(keptAlive, opened, 1_000 + MARGIN_MS);
        assertServed("127.0.0.1");
    }

    @Test
    void oversizedRequestLinesAndHeadersGet414And431AndAClose() throws Exception {
        start(OriginConfig.DEFAULT_CONNECTION_LIMITS, 30, 10);
        RawSockets.Response line = sendAndRead("GET /live/" + "a".repeat(OriginChannelInitializer.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(line.status()).isEqualTo(414);
        assertThat(line.body()).isEqualTo("{\"error\":\"request line too long\"}");
        RawSockets.Response headers = sendAndRead("GET " + MASTER + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(OriginChannelInitializer.MAX_HEADER_BYTES) + "\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
        assertThat(headers.body()).isEqualTo("{\"error\":\"request headers too large\"}");
        RawSockets.Response many = sendAndRead("GET " + MASTER + " HTTP/1.1\r\nHost: x\r\n" + "X-H: 0123456789\r\n".repeat(1000) + "\r\n");
        assertThat(many.status()).isEqualTo(431);
        RawSockets.Response malformed = sendAndRead("GET / HTTP/9.x\r\nHost: x\r\n\r\n");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.head()).containsIgnoringCase("connection: close");
        assertServed("127.0.0.1");
        assertThat(log.containing("answering 431")).as("two 431s, one line").hasSize(1);
    }

    @Test
    void floodsPastThePerAddressAndTotalLimitsAreRefusedWhileOthersAreServed() throws Exception {
        start(new ConnectionLimits(5, 10), 30, 10);
        Socket keptAlive = open("127.0.0.2"); // a player on its own address, before the flood
        assertThat(RawSockets.get(keptAlive, MASTER).status()).isEqualTo(200);
        List<Socket> flood = new ArrayList<>();
        for (int i = 0; i < 12; i++) flood.add(open("127.0.0.1"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(flood) == 5);
        assertServed("127.0.0.3"); // another address is served
        List<Socket> second = new ArrayList<>();
        for (int i = 0; i < 8; i++) second.add(open("127.0.0.4"));
        Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> openOf(second) == 4); // 1 + 5 + 4 = the total of 10

        assertThat(RawSockets.get(keptAlive, MASTER).status()).as("a connection already open is served").isEqualTo(200);
        assertThat(log.containing("the per-address limit")).as("7 refused from one address, one line").hasSize(1);
        assertThat(log.containing("open, the limit")).as("4 refused over the total, one line").hasSize(1);
        for (Socket s : flood) s.close();
        Awaitility.await().atMost(5, TimeUnit.SECONDS).untilAsserted(() -> assertServed("127.0.0.1")); // places come back
    }

    private RawSockets.Response sendAndRead(String request) throws IOException {
        try (Socket s = connect("127.0.0.1", port)) {
            s.getOutputStream().write(ascii(request));
            RawSockets.Response r = RawSockets.read(s.getInputStream());
            assertClosedWithin(s, System.currentTimeMillis(), MARGIN_MS);
            return r;
        }
    }

    private static int openOf(List<Socket> sockets) {
        sockets.removeIf(s -> closedByServer(s));
        return sockets.size();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
