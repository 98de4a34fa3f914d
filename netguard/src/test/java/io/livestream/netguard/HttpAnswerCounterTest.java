package io.livestream.netguard;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpAnswerCounterTest {
    @Test
    void anAnswerSentInPiecesIsCountedOnceWhenItEndsWithAllItsBytesAndTheNextAnswerGetsTheNextRoute() {
        List<String> counted = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(new HttpAnswerCounter(uri -> uri.substring(1),
                (route, status, bytes) -> counted.add(route + " " + status + " " + bytes)));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/growing"));
        channel.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/whole"));
        channel.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        channel.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[100])));
        assertThat(counted).as("not ended yet").isEmpty();
        channel.writeOutbound(new DefaultHttpContent(Unpooled.wrappedBuffer(new byte[50])));
        channel.writeOutbound(new DefaultLastHttpContent());
        channel.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(new byte[7])));
        assertThat(counted).containsExactly("growing 200 150", "whole 404 7");
        channel.finishAndReleaseAll();
    }
}
