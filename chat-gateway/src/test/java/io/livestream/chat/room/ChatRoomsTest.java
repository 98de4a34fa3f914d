package io.livestream.chat.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Fan-out on real event loops (in-JVM local channels): every socket of a room, whichever loop owns it, gets every frame in order. */
class ChatRoomsTest {
    final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    final DefaultEventLoopGroup clientLoop = new DefaultEventLoopGroup(1);
    final ChatRooms rooms = new ChatRooms("gw1");

    @AfterEach
    void stop() {
        clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /**
     * @param wire the production path: the sockets frame with RFC 6455, so room frames go out as the room's shared wire
     *     bytes and the clients decode bytes; otherwise frames travel as objects
     */
    @ParameterizedTest(name = "shared wire bytes: {0}")
    @ValueSource(booleans = {false, true})
    void aRoomSpreadOverSeveralLoopsGetsEveryMessageInOrder(boolean wire) throws Exception {
        LinkedBlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        LocalAddress address = new LocalAddress("chat-rooms-test-" + wire);
        Channel server = new ServerBootstrap().group(clientLoop, loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override protected void initChannel(LocalChannel ch) {
                        if (wire) ch.pipeline().addLast(new WebSocket13FrameEncoder(false));
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
        List<List<String>> received = new ArrayList<>();
        Set<EventLoop> used = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            List<String> frames = new CopyOnWriteArrayList<>();
            received.add(frames);
            SimpleChannelInboundHandler<TextWebSocketFrame> reader = new SimpleChannelInboundHandler<>() {
                @Override protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) { frames.add(f.text()); }
            };
            new Bootstrap().group(clientLoop).channel(LocalChannel.class).handler(new ChannelInitializer<LocalChannel>() {
                @Override protected void initChannel(LocalChannel ch) {
                    if (wire) ch.pipeline().addLast(new WebSocket13FrameDecoder(false, false, 1 << 16));
                    ch.pipeline().addLast(reader);
                }
            }).connect(address).sync();
            Channel socket = accepted.poll(5, TimeUnit.SECONDS);
            ChatConnection c = new ChatConnection("c" + i, "s1", null, socket, 64, () -> { }, wire);
            used.add(c.eventLoop());
            rooms.join(c);
            c.completeJoin(List.of());
        }
        assertThat(used).hasSize(2);

        // one loop busy while two arrive: it gives each of its sockets both in one write
        java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(1);
        EventLoop first = used.iterator().next();
        first.execute(() -> {
            try {
                busy.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        rooms.dispatch(message("m1"));
        rooms.dispatch(message("m2"));
        busy.countDown();
        used.iterator().next().submit(() -> rooms.dispatch(message("m3"))).sync(); // from a socket loop: inline there
        rooms.dispatch(ChatEvent.message(new ChatAccepted(1, "other", "x", "ann", "viewer", "elsewhere", 0, null)));

        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(f -> f.size() == 4));
        for (List<String> frames : received) {
            assertThat(frames.get(0)).contains("\"type\":\"history\"");
            assertThat(frames.subList(1, 4)).allMatch(f -> f.contains("\"type\":\"message\""));
            assertThat(frames.subList(1, 4)).map(f -> f.replaceAll(".*\"messageId\":\"(m\\d)\".*", "$1")).containsExactly("m1", "m2", "m3");
        }
        server.close().sync();
    }

    @org.junit.jupiter.api.Test
    void withACoalescingWindowEachSocketGetsTheWindowsFramesInOneFlush() throws Exception {
        ChatRooms coalescing = new ChatRooms("gw1", RoomSubscriptions.NONE, 300);
        LinkedBlockingQueue<Channel> accepted = new LinkedBlockingQueue<>();
        List<java.util.concurrent.atomic.AtomicInteger> flushes = new ArrayList<>();
        LocalAddress address = new LocalAddress("chat-rooms-coalescing-test");
        Channel server = new ServerBootstrap().group(clientLoop, loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInitializer<LocalChannel>() {
                    @Override protected void initChannel(LocalChannel ch) {
                        java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
                        flushes.add(count);
                        ch.pipeline().addLast(new io.netty.channel.ChannelOutboundHandlerAdapter() {
                            @Override public void flush(ChannelHandlerContext ctx) {
                                count.incrementAndGet();
                                ctx.flush();
                            }
                        });
                        accepted.add(ch);
                    }
                }).bind(address).sync().channel();
        List<List<String>> received = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            List<String> frames = new CopyOnWriteArrayList<>();
            received.add(frames);
            SimpleChannelInboundHandler<TextWebSocketFrame> reader = new SimpleChannelInboundHandler<>() {
                @Override protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) { frames.add(f.text()); }
            };
            new Bootstrap().group(clientLoop).channel(LocalChannel.class).handler(reader).connect(address).sync();
            ChatConnection c = new ChatConnection("c" + i, "s1", null, accepted.poll(5, TimeUnit.SECONDS), 64, () -> { }, false);
            coalescing.join(c);
            c.completeJoin(List.of());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(f -> f.size() == 1)); // the history
        int afterHistory = flushes.stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum();

        coalescing.dispatch(message("m1"));
        coalescing.dispatch(message("m2"));
        coalescing.dispatch(message("m3"));

        await().atMost(Duration.ofSeconds(5)).until(() -> received.stream().allMatch(f -> f.size() == 4));
        for (List<String> frames : received) {
            assertThat(frames.subList(1, 4)).map(f -> f.replaceAll(".*\"messageId\":\"(m\\d)\".*", "$1")).containsExactly("m1", "m2", "m3");
        }
        assertThat(flushes.stream().mapToInt(java.util.concurrent.atomic.AtomicInteger::get).sum() - afterHistory)
                .as("one flush per socket for the three messages of the window").isEqualTo(4);
        server.close().sync();
    }

    static ChatEvent message(String id) {
        return ChatEvent.message(new ChatAccepted(1, "s1", id, "ann", "viewer", "text of " + id, 0, null));
    }
}
