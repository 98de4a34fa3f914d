package io.livestream.origin.http;

import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.concurrent.BoundedExecutor;
import io.livestream.common.json.Json;
import io.livestream.origin.store.SegmentStore;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dispatcher in an EmbeddedChannel with handlers of each kind: where they run, order, back-pressure, refusals. */
class RouteDispatchTest {
    private final SegmentStore store = new SegmentStore();
    private final CountDownLatch registryAnswers = new CountDownLatch(1);
    private final CompletableFuture<Resource> gatewayAnswer = new CompletableFuture<>();
    private final BoundedExecutor executor = new BoundedExecutor("test-blocking", 1, 1);
    private final RouteTable routes = RouteTable.builder()
            // a registry call that waits until the test lets it answer
            .blocking(Route.Stream.class, (r, request) -> {
                await(registryAnswers);
                return Resource.json(200, Map.of("id", r.streamId(), "thread", Thread.currentThread().getName()));
            })
            .blocking(Route.Viewers.class, (r, request) -> { throw new HttpError(404, "unknown stream"); })
            .blocking(Route.StreamHealth.class, (r, request) -> { throw new IllegalStateException("redis down"); })
            .async(Route.Chat.class, (r, request) -> gatewayAnswer)
            .build();
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new OriginHttpHandler(new OriginResources(store, OriginConfig.DEFAULTS), routes, executor));

    @AfterEach
    void tearDown() {
        registryAnswers.countDown();
        executor.close();
    }

    @Test
    void blockingWorkRunsOffTheLoopAndLaterRequestsOnTheConnectionWaitTheirTurn() throws Exception {
        store.onMediaRecord(segment("s1", "a", "720p", 3, 2.0, 50));
        channel.writeInbound(request(HttpMethod.GET, "/api/streams/s1"), request(HttpMethod.GET, "/live/s1/720p/3.ts"));
        assertThat((Object) channel.readOutbound()).as("nothing yet: the registry has not answered").isNull();
        assertThat(channel.config().isAutoRead()).as("reading paused while an answer is in flight").isFalse();

        registryAnswers.countDown();
        FullHttpResponse api = awaitResponse();
        assertThat(api.status().code()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(api.content().toString(StandardCharsets.UTF_8)).get("thread").asText()).startsWith("test-blocking");
        api.release();
        FullHttpResponse segment = OutboundResponses.read(channel);
        assertThat(segment.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(Resource.SEGMENT_TYPE);
        segment.release();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aFullExecutorAnswers503WithRetryAfterAtOnce() throws Exception {
        EmbeddedChannel busy = new EmbeddedChannel(new OriginHttpHandler(new OriginResources(store, OriginConfig.DEFAULTS), routes, executor));
        EmbeddedChannel queued = new EmbeddedChannel(new OriginHttpHandler(new OriginResources(store, OriginConfig.DEFAULTS), routes, executor));
        busy.writeInbound(request(HttpMethod.GET, "/api/streams/s1"));   // takes the one thread
        awaitQueued(0);
        queued.writeInbound(request(HttpMethod.GET, "/api/streams/s2")); // fills the one queue slot
        awaitQueued(1);

        channel.writeInbound(request(HttpMethod.GET, "/api/streams/s3"));
        FullHttpResponse refused = channel.readOutbound();
        assertThat(refused.status().code()).isEqualTo(503);
        assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
        assertThat(refused.content().toString(StandardCharsets.UTF_8)).contains("overloaded");
        refused.release();
        assertThat(channel.config().isAutoRead()).isTrue();

        registryAnswers.countDown();
        for (EmbeddedChannel c : List.of(busy, queued)) {
            FullHttpResponse answered = awaitResponse(c);
            assertThat(answered.status().code()).isEqualTo(200);
            answered.release();
            assertThat(c.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void refusalsAndFailuresBecomeJsonErrors() throws Exception {
        assertError(request(HttpMethod.GET, "/api/streams/s1/viewers"), 404, "unknown stream");
        assertError(request(HttpMethod.GET, "/api/streams/s1/health"), 503, "backend unavailable");
        assertError(request(HttpMethod.GET, "/api/streams/s1/end"), 405, "method not allowed");
        assertError(request(HttpMethod.GET, "/api/streams/s1/recordings"), 404, "not served by this origin");
        assertError(request(HttpMethod.GET, "/live/s1/%zz/index.m3u8"), 400, "malformed percent-encoding");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aMethodNotAllowedNamesTheRouteMethodsAndPreflightOffersThem() {
        channel.writeInbound(request(HttpMethod.DELETE, "/api/streams"));
        FullHttpResponse refused = channel.readOutbound();
        assertThat(refused.status().code()).isEqualTo(405);
        assertThat(refused.headers().get(HttpHeaderNames.ALLOW)).isEqualTo("GET, HEAD, POST, OPTIONS");
        refused.release();
        channel.writeInbound(request(HttpMethod.OPTIONS, "/live/s1/720p/index.m3u8"));
        FullHttpResponse preflight = channel.readOutbound();
        assertThat(preflight.status().code()).isEqualTo(204);
        assertThat(preflight.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS)).isEqualTo("GET, HEAD, OPTIONS");
        preflight.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void asyncAnswersArriveWhenTheUpstreamDoes() {
        channel.writeInbound(request(HttpMethod.POST, "/api/streams/s1/chat"));
        assertThat((Object) channel.readOutbound()).isNull();
        gatewayAnswer.complete(new Resource(201, "{}".getBytes(StandardCharsets.UTF_8), Resource.JSON_TYPE, Resource.NO_STORE, null, false, 2));
        channel.runPendingTasks();
        FullHttpResponse answer = channel.readOutbound();
        assertThat(answer.status().code()).isEqualTo(201);
        assertThat(answer.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("2");
        answer.release();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    private void assertError(FullHttpRequest request, int status, String error) throws Exception {
        channel.writeInbound(request);
        FullHttpResponse response = awaitResponse();
        assertThat(response.status().code()).isEqualTo(status);
        assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo(Resource.JSON_TYPE);
        assertThat(Json.MAPPER.readTree(response.content().toString(StandardCharsets.UTF_8)).get("error").asText()).isEqualTo(error);
        response.release();
    }

    private FullHttpResponse awaitResponse() throws InterruptedException {
        return awaitResponse(channel);
    }

    /** The blocking thread hands the answer back to the loop as a task; an EmbeddedChannel runs those when asked. */
    private static FullHttpResponse awaitResponse(EmbeddedChannel c) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            c.runPendingTasks();
            FullHttpResponse response = c.readOutbound();
            if (response != null) return response;
            Thread.sleep(5);
        }
        throw new AssertionError("no answer within 5 s");
    }

    private void awaitQueued(int queued) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (executor.queued() != queued && System.nanoTime() < deadline) Thread.sleep(2);
        Thread.sleep(20); // the worker has taken the first task off the queue and is inside it
        assertThat(executor.queued()).isEqualTo(queued);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
    }
}
