package io.livestream.origin.http;

import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.origin.store.SegmentStore;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** The handler alone in an EmbeddedChannel: objects in, objects out, nothing leaked. */
class OriginHttpHandlerTest {
    private final SegmentStore store = new SegmentStore();
    private final EmbeddedChannel channel =
            new EmbeddedChannel(new OriginHttpHandler(new OriginResources(store, OriginConfig.DEFAULTS)));

    @Test
    void pipelinedRequestsAreAnsweredInOrderWithoutLeaks() {
        store.onMediaRecord(segment("s1", "a", "720p", 3, 2.0, 50));
        channel.writeInbound(request(HttpMethod.GET, "/live/s1/720p/3.ts"), request(HttpMethod.HEAD, "/live/s1/ts/720p/index.m3u8"),
                request(HttpMethod.GET, "/live/s1/720p/9.ts"));

        FullHttpResponse segment = OutboundResponses.read(channel);
        assertThat(segment.status().code()).isEqualTo(200);
        assertThat(ByteBufUtil.getBytes(segment.content())).isEqualTo(segment("s1", "a", "720p", 3, 2.0, 50).payload());
        segment.release();

        FullHttpResponse head = channel.readOutbound();
        assertThat(head.status().code()).isEqualTo(200);
        assertThat(head.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isGreaterThan(0);
        assertThat(head.content().readableBytes()).isZero();
        head.release();

        FullHttpResponse missing = channel.readOutbound();
        assertThat(missing.status().code()).isEqualTo(404);
        missing.release();

        assertThat(channel.isOpen()).isTrue(); // keep-alive
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void http10WithoutKeepAliveIsClosedAfterTheAnswer() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/health", Unpooled.EMPTY_BUFFER);
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
        response.release();
        assertThat(channel.isOpen()).isFalse();
        channel.finishAndReleaseAll();
    }

    private static FullHttpRequest request(HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, Unpooled.EMPTY_BUFFER);
    }
}
