package io.livestream.origin.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forwarder against a small real HTTP server standing in for the gateway. */
class ChatForwarderTest {
    private final Map<String, String> seen = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        gateway.setExecutor(Executors.newCachedThreadPool());
        gateway.createContext("/", exchange -> {
            seen.put("uri", exchange.getRequestURI().toString());
            seen.put("method", exchange.getRequestMethod());
            seen.put("xff", String.valueOf(exchange.getRequestHeaders().getFirst("X-Forwarded-For")));
            seen.put("auth", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            seen.put("body", new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (exchange.getRequestURI().getPath().endsWith("/slow")) {
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = "{\"error\":\"slow_mode\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Retry-After", "3");
            exchange.sendResponseHeaders(429, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gateway.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        gateway.stop(0);
    }

    @Test
    void forwardsTheRequestAndBringsBackStatusTypeAndRetryAfter() throws Exception {
        try (ChatForwarder forwarder = new ChatForwarder("127.0.0.1", gateway.getAddress().getPort())) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/streams/s1/chat?x=1",
                    Unpooled.copiedBuffer("{\"text\":\"hi\"}", StandardCharsets.UTF_8));
            request.headers().set("Authorization", "Bearer tok").set("X-Forwarded-For", "203.0.113.9").set("Content-Type", "application/json");
            OriginRequest call = OriginRequest.of(request, new InetSocketAddress("10.0.0.2", 5000));
            request.release();

            Resource answer = forwarder.forward(call).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(429);
            assertThat(answer.retryAfterSec()).isEqualTo(3);
            assertThat(answer.contentType()).isEqualTo("application/json");
            assertThat(new String(answer.body(), StandardCharsets.UTF_8)).contains("slow_mode");
            assertThat(seen).containsEntry("uri", "/api/streams/s1/chat?x=1").containsEntry("method", "POST")
                    .containsEntry("auth", "Bearer tok").containsEntry("xff", "203.0.113.9, 10.0.0.2").containsEntry("body", "{\"text\":\"hi\"}");
        }
    }

    @Test
    void aSaturatedPoolAnswers503AtOnceAndAnUnreachableGatewayToo() throws Exception {
        try (ChatForwarder forwarder = new ChatForwarder("127.0.0.1", gateway.getAddress().getPort(), 1, 1, Duration.ofSeconds(5))) {
            var slow = forwarder.forward(get("/api/streams/s1/slow")).toCompletableFuture();
            Thread.sleep(200); // the one connection is taken
            var waiting = forwarder.forward(get("/api/streams/s1/chat")).toCompletableFuture(); // the one waiting place
            Resource refused = forwarder.forward(get("/api/streams/s1/chat")).toCompletableFuture().get(2, TimeUnit.SECONDS);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.retryAfterSec()).isEqualTo(1);
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS).status()).isEqualTo(429);
            assertThat(waiting.get(5, TimeUnit.SECONDS).status()).as("served once the connection came back").isEqualTo(429);
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (ChatForwarder forwarder = new ChatForwarder("127.0.0.1", closedPort)) {
            Resource down = forwarder.forward(get("/api/chat/token")).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(down.status()).isEqualTo(503);
        }
    }

    private static OriginRequest get(String uri) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        try {
            return OriginRequest.of(request, new InetSocketAddress("10.0.0.2", 5000));
        } finally {
            request.release();
        }
    }
}
