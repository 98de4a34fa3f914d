package io.livestream.netguard;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayDeque;
import java.util.function.Function;

/**
 * Counts every HTTP answer of a connection by route and status, in the pipeline beside a server's handler (which it
 * does not touch), for the services' metrics. One per connection: HTTP/1.1 answers leave in request order, so each
 * belongs to the oldest request not yet answered. An answer sent in pieces (chunked transfer) is counted when it
 * ends, with the bytes of all its pieces.
 */
public final class HttpAnswerCounter extends ChannelDuplexHandler {
    /** Where the counts go. */
    public interface Answers {
        void answered(String route, int status, long bodyBytes);

        default void connectionOpened() { }

        default void connectionClosed() { }
    }

    private final Function<String, String> routeOf;
    private final Answers answers;
    private final ArrayDeque<String> awaiting = new ArrayDeque<>();
    /** The answer being sent in pieces: its route and status, and its bytes so far; route null when there is none. */
    private String streamingRoute;
    private int streamingStatus;
    private long streamingBytes;

    /** @param routeOf a bounded label for a request target (never a stream id) */
    public HttpAnswerCounter(Function<String, String> routeOf, Answers answers) {
        this.routeOf = routeOf;
        this.answers = answers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        answers.connectionOpened();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        answers.connectionClosed();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof HttpRequest request) awaiting.add(routeOf.apply(request.uri()));
        super.channelRead(ctx, msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof FullHttpResponse response) {
            answers.answered(awaiting.isEmpty() ? "unrouted" : awaiting.poll(), response.status().code(), response.content().readableBytes());
        } else if (msg instanceof HttpResponse head) {
            streamingRoute = awaiting.isEmpty() ? "unrouted" : awaiting.poll();
            streamingStatus = head.status().code();
            streamingBytes = 0;
        } else if (msg instanceof HttpContent piece && streamingRoute != null) {
            streamingBytes += piece.content().readableBytes();
            if (piece instanceof LastHttpContent) {
                answers.answered(streamingRoute, streamingStatus, streamingBytes);
                streamingRoute = null;
            }
        }
        super.write(ctx, msg, promise);
    }
}
