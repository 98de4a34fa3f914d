package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLimitAggregatorTest {
    @Test
    void anOversizedBodyGetsAJson413AndTheConnectionClosesOnlyOnceTheBodyHasArrived() {
        EmbeddedChannel channel = new EmbeddedChannel(new JsonLimitAggregator(16));
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/streams");
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 40);
        channel.writeInbound(request);

        FullHttpResponse response = channel.readOutbound();
        assertThat(response.status().code()).isEqualTo(413);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"error\"");
        response.release();
        assertThat(channel.isOpen()).as("still reading the upload, so the client gets to read the 413").isTrue();

        channel.writeInbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[20])));
        assertThat(channel.isOpen()).isTrue();
        channel.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[20])));
        assertThat(channel.isOpen()).as("closed once the body is in").isFalse();
        assertThat((Object) channel.readInbound()).as("nothing of the oversized request goes on").isNull();
        channel.finishAndReleaseAll();
    }
}
