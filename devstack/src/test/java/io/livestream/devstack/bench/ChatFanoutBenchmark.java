package io.livestream.devstack.bench;

import io.livestream.chat.ChatGateway;
import io.livestream.chat.ChatGatewayConfig;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.time.Clock;
import io.livestream.devstack.SharedInfra;
import io.livestream.jobs.ChatJob;
import io.livestream.netguard.ConnectionLimits;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * Chat fan-out: one gateway, the real Kafka and Redis of {@link SharedInfra}, the chat job on a Flink MiniCluster, and
 * N Netty WebSocket clients in one room, all in this JVM (so the clients' CPU is charged to the same 2 cores). For each
 * rate M, viewers with tokens (slow mode set to 0 by the broadcaster; each sender stays under the gateway's flood limit
 * of 2 frames/s, so there are M / 1.5 of them) submit M messages/s for S seconds; every client records each
 * message's submit-to-delivery latency from the send time carried in its text. The readers share two client loops,
 * the senders have one of their own. Beside the real readers, {@link ChatHopTaps} see each message in
 * {@code chat.submitted} and on the room's Redis channel, which splits its time per hop (the last table).
 *
 * <p>Run: {@code bench/chat-fanout.sh [clients=5000] [rates=5,10,25,50] [seconds per rate=15]}
 */
public final class ChatFanoutBenchmark {
    static final String SECRET = "chat-fanout-benchmark-secret-0123456789";
    static final String MARKER = "\"text\":\"bench ";
    static final double PER_SENDER_PER_SECOND = 1.5;
    static final int MAX_HANDSHAKES_IN_FLIGHT = 200;
    static final String CLIENT_THREADS = "bench-client";

    /** The counters of one rate step, shared by every client. */
    static final class Step {
        final int index;
        final LongAdder deliveries = new LongAdder();
        final LatencyHistogram latency = new LatencyHistogram();
        final AtomicLong lastDeliveryNanos = new AtomicLong();
        final LongAdder refused = new LongAdder();
        final LongAdder seenByObserver = new LongAdder();
        /** Per message (by sequence number): its send time and when it was seen at each hop, 0 until then. */
        final AtomicLongArray sentAt, atGateway, atKafka, atRedis, firstDelivery, lastDelivery;

        Step(int index, int messages) {
            this.index = index;
            sentAt = new AtomicLongArray(messages);
            atGateway = new AtomicLongArray(messages);
            atKafka = new AtomicLongArray(messages);
            atRedis = new AtomicLongArray(messages);
            firstDelivery = new AtomicLongArray(messages);
            lastDelivery = new AtomicLongArray(messages);
        }

        void delivered(int seq, long now) {
            if (seq >= lastDelivery.length()) return;
            firstDelivery.compareAndSet(seq, 0, now);
            lastDelivery.accumulateAndGet(seq, now, Math::max);
        }

        /** Records a tap's first sight of a bench message of this step. */
        void seen(AtomicLongArray hop, String text, long now) {
            long[] f = benchFields(text);
            if (f == null || f[0] != index || f[2] >= hop.length()) return;
            hop.compareAndSet((int) f[2], 0, now);
        }

        /** In chat.submitted: seen now, and taken by the gateway at the record's time (epoch ms, on this JVM's clock). */
        void seenInKafka(String text, long recordMillis, long now) {
            seen(atKafka, text, now);
            seen(atGateway, text, recordMillis * 1_000_000 - EPOCH_MINUS_NANO_TIME);
        }

        /** The time from one hop to the next, per message seen at both. */
        static LatencyHistogram between(AtomicLongArray from, AtomicLongArray to) {
            LatencyHistogram h = new LatencyHistogram();
            for (int i = 0; i < from.length(); i++) {
                if (from.get(i) != 0 && to.get(i) != 0) h.record(to.get(i) - from.get(i));
            }
            return h;
        }
    }

    /** A bench message's "bench <step> <send nanos> <seq>" as {step, send nanos, seq}, or null for another text. */
    static long[] benchFields(String text) {
        int at = text.indexOf(MARKER);
        if (at < 0) return null;
        long[] fields = new long[3];
        int i = at + MARKER.length();
        for (int f = 0; f < 3; f++, i++) { // digits, then a space or the closing quote
            long v = 0;
            for (char c; (c = text.charAt(i)) >= '0' && c <= '9'; i++) v = v * 10 + (c - '0');
            fields[f] = v;
        }
        return fields;
    }

    /** Epoch nanoseconds minus System.nanoTime(), to place an epoch-ms time stamp on the nanoTime axis. */
    static final long EPOCH_MINUS_NANO_TIME = System.currentTimeMillis() * 1_000_000 - System.nanoTime();
    static volatile Step current = new Step(-1, 0);
    static final LongAdder moderationFrames = new LongAdder();

    /** A client: counts bench messages of the current step and their latency; the observer also counts distinct ones. */
    static final class ClientHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        final CompletableFuture<Void> handshake = new CompletableFuture<>();
        final boolean observer;

        ClientHandler(boolean observer) {
            this.observer = observer;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) handshake.complete(null);
            if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) handshake.completeExceptionally(new IllegalStateException("handshake timeout"));
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            handshake.completeExceptionally(new IllegalStateException("closed before the handshake"));
            super.channelInactive(ctx);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            long now = System.nanoTime();
            String text = frame.text();
            if (text.contains("\"type\":\"moderation\"")) {
                moderationFrames.increment();
                return;
            }
            if (text.contains("\"type\":\"error\"")) {
                current.refused.increment();
                return;
            }
            if (!text.contains("\"type\":\"message\"")) return;
            long[] f = benchFields(text);
            Step step = current;
            if (f == null || f[0] != step.index) return;
            step.latency.record(now - f[1]);
            step.deliveries.increment();
            step.delivered((int) f[2], now);
            step.lastDeliveryNanos.accumulateAndGet(now, Math::max);
            if (observer) step.seenByObserver.increment();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    record Client(Channel channel, ClientHandler handler) {
        void send(String json) {
            channel.writeAndFlush(new TextWebSocketFrame(json));
        }
    }

    public static void main(String[] args) {
        int status = 1;
        try {
            run(args);
            status = 0;
        } catch (Throwable e) {
            e.printStackTrace();
        } finally {
            System.exit(status); // Kafka, Redis and Flink leave non-daemon threads behind
        }
    }

    static void run(String[] args) throws Exception {
        int clientCount = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        List<Integer> rates = new ArrayList<>();
        for (String r : (args.length > 1 ? args[1] : "5,10,25,50").split(",")) rates.add(Integer.parseInt(r.trim()));
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;

        long setupStart = System.nanoTime();
        SharedInfra infra = SharedInfra.get();
        StreamRegistry registry = infra.newRegistry();
        String prefix = registry.keyPrefix();
        String streamId = registry.create("chat fan-out benchmark", "bench_bc", null).stream().id();
        registry.goLive(streamId);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        ChatJob.fromParams(ParameterTool.fromArgs(new String[] {
                "--bootstrap", infra.bootstrapServers(), "--redis", infra.redisUri(), "--key-prefix", prefix,
                "--group-id", "chat-bench-" + prefix, "--chat-start-timestamp", String.valueOf(System.currentTimeMillis() - 1_000)}))
                .build(env);
        JobClient job = env.executeAsync("chat-fanout-bench");

        ChatGateway gateway = new ChatGateway(ChatGatewayConfig.defaults(infra.bootstrapServers(), infra.redisUri(), SECRET)
                .withPort(0).withKeyPrefix(prefix)
                // every client is 127.0.0.1 here: the per-address limit (1000 by default) would refuse most of them
                .withConnectionLimits(new ConnectionLimits(clientCount + 10, Math.max(clientCount + 10, ChatGatewayConfig.DEFAULT_CONNECTION_LIMITS.maxTotal()))));
        gateway.start();
        ChatTokens tokens = new ChatTokens(SECRET, Clock.SYSTEM);
        // few threads for many sockets: the server has its own event loops, the readers share two
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory(CLIENT_THREADS, true), NioIoHandler.newFactory());
        // the senders' sockets on a loop of their own: a send must not wait in this JVM behind the thousands of reads
        // of the readers' loops (a sender's browser reads only its own socket); their CPU is counted with the clients'
        EventLoopGroup senderGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(CLIENT_THREADS + "-senders", true), NioIoHandler.newFactory());
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            String base = "ws://127.0.0.1:" + gateway.port() + "/chat/" + streamId;
            Bootstrap bootstrap = clientBootstrap(group);
            Bootstrap senderBootstrap = clientBootstrap(senderGroup);
            int maxSenders = (int) Math.ceil(rates.stream().mapToInt(Integer::intValue).max().orElse(1) / PER_SENDER_PER_SECOND);
            Client broadcaster = connect(senderBootstrap, URI.create(base + "?token=" + tokens.issue("bench_bc", ChatRole.BROADCASTER, streamId, 3600)), false);
            Client observer = connect(bootstrap, URI.create(base), true);
            List<Client> clients = new ArrayList<>(List.of(observer, broadcaster));
            List<Client> senders = new ArrayList<>();
            Semaphore inFlight = new Semaphore(MAX_HANDSHAKES_IN_FLIGHT);
            List<CompletableFuture<Client>> pending = new ArrayList<>();
            long connectStart = System.nanoTime();
            for (int i = 0; clients.size() + pending.size() < clientCount; i++) {
                URI uri = i < maxSenders ? URI.create(base + "?token=" + tokens.issue("sender" + i, ChatRole.VIEWER, null, 3600)) : URI.create(base);
                inFlight.acquire();
                CompletableFuture<Client> c = connectAsync(i < maxSenders ? senderBootstrap : bootstrap, uri, false);
                c.whenComplete((ok, err) -> inFlight.release());
                pending.add(c);
            }
            for (int i = 0; i < pending.size(); i++) {
                Client c = pending.get(i).get(60, TimeUnit.SECONDS);
                clients.add(c);
                if (i < maxSenders) senders.add(c);
            }
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (gateway.rooms().size(streamId) < clients.size() && System.nanoTime() < deadline) Thread.sleep(50);
            System.out.printf("%d clients connected in %.1f s (%d in the gateway's room); waiting for the chat job...%n",
                    clients.size(), connectSeconds, gateway.rooms().size(streamId));

            // slow mode off; its arrival at the observer also says the job is running end to end
            long readyDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (moderationFrames.sum() == 0 && System.nanoTime() < readyDeadline) {
                broadcaster.send("{\"type\":\"moderate\",\"action\":\"slow\",\"seconds\":0}");
                Thread.sleep(2000);
            }
            if (moderationFrames.sum() == 0) throw new IllegalStateException("the chat job did not answer within 90 s");
            Thread.sleep(1000);
            System.out.printf("ready after %.1f s of setup (Kafka, Redis, Flink MiniCluster, job, gateway, clients)%n",
                    (System.nanoTime() - setupStart) / 1e9);
            long pid = ProcessHandle.current().pid();
            ChatHopTaps taps = new ChatHopTaps(infra.bootstrapServers(), infra.redisUri(),
                    io.livestream.common.chat.ChatKeys.roomChannel(prefix, streamId),
                    (text, millis) -> current.seenInKafka(text, millis, System.nanoTime()),
                    text -> current.seen(current.atRedis, text, System.nanoTime()));
            List<String> hopRows = new ArrayList<>();

            System.out.printf("%n| clients | senders | messages in/s (submitted) | accepted | deliveries | deliveries/s | delivered | p50 ms | p99 ms | max ms | clients dropped | CPU cores: gateway / clients / whole JVM | gateway CPU µs per delivery |%n");
            System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|%n");
            for (int s = 0; s < rates.size(); s++) {
                int rate = rates.get(s);
                int senderCount = Math.min(senders.size(), (int) Math.ceil(rate / PER_SENDER_PER_SECOND));
                int total = rate * seconds;
                Step step = new Step(s, total);
                current = step;
                int connected = (int) clients.stream().filter(c -> c.channel().isActive()).count();
                AtomicInteger seq = new AtomicInteger();
                double cpuStart = ProcStats.cpuSeconds(pid);
                Map<String, Long> threadCpuStart = cpuByPart();
                long start = System.nanoTime();
                int stepIndex = s;
                ScheduledFuture<?> sending = scheduler.scheduleAtFixedRate(() -> {
                    int n = seq.getAndIncrement();
                    if (n >= total) return;
                    Client sender = senders.get(n % senderCount);
                    long sent = System.nanoTime();
                    step.sentAt.set(n, sent);
                    sender.send("{\"type\":\"send\",\"text\":\"bench " + stepIndex + " " + sent + " " + n + "\"}");
                }, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
                while (seq.get() < total) Thread.sleep(20);
                sending.cancel(false);
                double sendSeconds = (System.nanoTime() - start) / 1e9;
                // drain: until every accepted message reached every connected client, or nothing moves for 3 s
                long lastCount = -1;
                long quietSince = System.nanoTime();
                long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (System.nanoTime() < drainDeadline) {
                    long d = step.deliveries.sum();
                    if (step.seenByObserver.sum() + step.refused.sum() >= total && d >= (long) step.seenByObserver.sum() * connected) break;
                    if (d != lastCount) {
                        lastCount = d;
                        quietSince = System.nanoTime();
                    } else if (System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
                        break;
                    }
                    Thread.sleep(50);
                }
                double cpu = ProcStats.cpuSeconds(pid) - cpuStart;
                Map<String, Long> threadCpu = cpuByPart();
                double gatewayCpu = (threadCpu.get("gateway") - threadCpuStart.get("gateway")) / 1e9;
                double clientCpu = (threadCpu.get("clients") - threadCpuStart.get("clients")) / 1e9;
                double activeSeconds = Math.max(sendSeconds, (step.lastDeliveryNanos.get() - start) / 1e9);
                long deliveries = step.deliveries.sum();
                long accepted = step.seenByObserver.sum();
                long dropped = clients.stream().filter(c -> !c.channel().isActive()).count();
                System.out.printf("| %d | %d | %.1f | %d of %d | %d | %.0f | %.2f %% | %.1f | %.1f | %.1f | %d | %.2f / %.2f / %.2f | %.1f |%n",
                        connected, senderCount, total / sendSeconds, accepted, total, deliveries, deliveries / activeSeconds,
                        accepted == 0 ? 0 : 100.0 * deliveries / (accepted * (double) connected),
                        step.latency.percentileMs(50), step.latency.percentileMs(99), step.latency.maxMs(), dropped,
                        gatewayCpu / activeSeconds, clientCpu / activeSeconds, cpu / activeSeconds,
                        deliveries == 0 ? 0 : gatewayCpu * 1e6 / deliveries);
                hopRows.add(hopRow(rate, step));
                if (dropped > clients.size() / 100) {
                    System.out.println("more than 1 % of the clients were dropped as too slow: stopping here");
                    break;
                }
            }
            taps.close();
            System.out.printf("%nWhere the time goes, per message (p50 / p99 ms): sent -> taken by the gateway's socket handler (the"
                    + " client's loop and the gateway's; the Kafka record's time, 1 ms steps) -> in chat.submitted (producer, broker)"
                    + " -> on the room's Redis channel (job's Kafka source, rules, Redis sink) -> at the first / the last socket (gateway fan-out"
                    + " and the clients' reads; a Redis subscriber of the benchmark beside the gateway's sees the channel)%n%n");
            System.out.printf("| messages/s | sent -> gateway | gateway -> Kafka | Kafka -> Redis | Redis -> first socket | Redis -> last socket | sent -> last socket |%n");
            System.out.printf("|---|---|---|---|---|---|---|%n");
            hopRows.forEach(System.out::println);
            System.out.printf("%nchat job buffer timeout %d ms; gateway outbound queue %d frames; all parts in one JVM on %d cores%n",
                    ChatJob.BUFFER_TIMEOUT_MS, ChatGatewayConfig.defaults("x", "x", SECRET).outboundQueueFrames(),
                    Runtime.getRuntime().availableProcessors());
        } finally {
            scheduler.shutdownNow();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            senderGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            gateway.close();
            job.cancel().get(10, TimeUnit.SECONDS);
        }
    }

    static String hopRow(int rate, Step step) {
        LatencyHistogram[] hops = {Step.between(step.sentAt, step.atGateway), Step.between(step.atGateway, step.atKafka),
                Step.between(step.atKafka, step.atRedis),
                Step.between(step.atRedis, step.firstDelivery), Step.between(step.atRedis, step.lastDelivery),
                Step.between(step.sentAt, step.lastDelivery)};
        StringBuilder row = new StringBuilder("| " + rate + " |");
        for (LatencyHistogram h : hops) row.append(String.format(" %.1f / %.1f |", h.percentileMs(50), h.percentileMs(99)));
        return row.toString();
    }

    /**
     * CPU nanoseconds used so far by the gateway's threads (its Netty loops and Redis subscriber), by the benchmark's
     * client loops, and by the rest of the JVM (Kafka broker, Flink, Kafka clients); redis-server is another process.
     */
    static Map<String, Long> cpuByPart() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> parts = new HashMap<>(Map.of("gateway", 0L, "clients", 0L, "other", 0L));
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t == null) continue;
            long ns = threads.getThreadCpuTime(t.getThreadId());
            if (ns < 0) continue;
            String name = t.getThreadName();
            String part = name.startsWith(CLIENT_THREADS) ? "clients"
                    : name.startsWith("multiThreadIoEventLoopGroup") || name.startsWith("chat-") ? "gateway" : "other";
            parts.merge(part, ns, Long::sum);
        }
        return parts;
    }

    static Bootstrap clientBootstrap(EventLoopGroup group) {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    static Client connect(Bootstrap bootstrap, URI uri, boolean observer) throws Exception {
        return connectAsync(bootstrap, uri, observer).get(30, TimeUnit.SECONDS);
    }

    static CompletableFuture<Client> connectAsync(Bootstrap bootstrap, URI uri, boolean observer) {
        ClientHandler handler = new ClientHandler(observer);
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri).handshakeTimeoutMillis(30_000).maxFramePayloadLength(1 << 20)
                // the gateway's frames are its own JSON; checking their UTF-8 in thousands of clients in this JVM was
                // a sixth of the clients' CPU, taken from the gateway being measured (a browser checks on its own core)
                .withUTF8Validator(false).build();
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                        new WebSocketClientProtocolHandler(config), handler);
            }
        });
        CompletableFuture<Client> client = new CompletableFuture<>();
        b.connect(uri.getHost(), uri.getPort()).addListener(f -> {
            if (!f.isSuccess()) {
                client.completeExceptionally(f.cause());
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            handler.handshake.whenComplete((ok, err) -> {
                if (err != null) client.completeExceptionally(err);
                else client.complete(new Client(ch, handler));
            });
        });
        return client;
    }

    private ChatFanoutBenchmark() {}
}
