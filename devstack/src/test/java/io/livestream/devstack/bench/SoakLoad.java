package io.livestream.devstack.bench;

import io.livestream.common.json.Json;
import io.livestream.devstack.chat.ChatSocketClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The audience of {@code bench/soak.sh}: LL-HLS viewers and chat, for as long as the soak runs, against a running
 * platform. Each viewer plays one rendition of one stream as an LL-HLS player does: a blocking reload for the part the
 * preload hint names, then that part, again and again; when the stream is between sessions (the reconnecting publisher)
 * it reloads the plain playlist every second. Chat: {@code rate} messages/s posted over HTTP through the API host, by
 * viewers that each stay under the default slow mode, round-robin over the streams' rooms; one WebSocket per room
 * counts what is delivered. At the end it prints {@code key=value} lines: requests and failures by kind, chat
 * accepted/pending/rejected/delivered.
 *
 * <p>Run by bench/soak.sh: {@code SoakLoad base chatWs streams(,) viewers rate seconds rendition}
 */
public final class SoakLoad {
    private static final Pattern HINT = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"(\\d+)\\.(\\d+)\\.m4s\"");
    private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");
    private static final int SLOW_MODE_SECONDS = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> delivered = new ConcurrentHashMap<>();
    private final Set<String> accepted = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytes = new AtomicLong();
    /** Rooms whose socket has had its welcome (it is in the room). */
    private final Set<String> rooms = ConcurrentHashMap.newKeySet();
    private volatile boolean running = true;

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String chatWs = args[1];
        List<String> streams = List.of(args[2].split(","));
        int viewers = Integer.parseInt(args[3]);
        int rate = Integer.parseInt(args[4]);
        long seconds = Long.parseLong(args[5]);
        String rendition = args[6];
        boolean lowLatency = args.length > 7 && args[7].equals("parts");
        new SoakLoad().run(base, chatWs, streams, viewers, rate, seconds, rendition, lowLatency);
    }

    void run(String base, String chatWs, List<String> streams, int viewers, int rate, long seconds, String rendition, boolean lowLatency)
            throws Exception {
        startViewers(base, streams, viewers, rendition, lowLatency);
        for (String stream : streams) {
            delivered.put(stream, ConcurrentHashMap.newKeySet());
            Thread t = new Thread(() -> listen(base, chatWs, stream), "chat-room-" + stream);
            t.setDaemon(true);
            t.start();
        }
        // the room sockets first: a message accepted before its room's socket is in the room is not delivered to it
        long until = System.currentTimeMillis() + 60_000;
        while (rooms.size() < streams.size() && System.currentTimeMillis() < until) Thread.sleep(100);
        ScheduledExecutorService chat = Executors.newSingleThreadScheduledExecutor();
        // each post waits for the chat job's verdict: enough threads that a slow verdict does not slow the rate
        java.util.concurrent.ExecutorService posts = Executors.newFixedThreadPool(64);
        int senders = Math.max(1, rate * (SLOW_MODE_SECONDS + 2)); // each sends once every senders/rate s > slow mode
        AtomicLong sequence = new AtomicLong();
        chat.scheduleAtFixedRate(() -> {
            long n = sequence.getAndIncrement();
            posts.execute(() -> post(base, streams.get((int) (n % streams.size())), "soak" + (n % senders), n));
        }, 0, 1_000_000 / Math.max(1, rate), TimeUnit.MICROSECONDS);
        long end = System.currentTimeMillis() + seconds * 1000;
        while (System.currentTimeMillis() < end) Thread.sleep(1_000);
        chat.shutdown();
        posts.shutdown();
        posts.awaitTermination(30, TimeUnit.SECONDS);
        Thread.sleep(10_000); // deliveries in flight
        running = false;
        report(System.out);
    }

    /** What the viewers asked and got: requests sent (any answer), failed ones (not 200, or no answer), by kind. */
    record Counts(long requests, long failed, Map<String, Long> byKind) {}

    /**
     * {@code viewers} LL-HLS viewers (no chat) on {@code rendition} of the streams for {@code seconds}, then what they
     * asked (CacheCollapseCheck).
     */
    Counts viewersOnly(String base, List<String> streams, int viewers, long seconds, String rendition) throws InterruptedException {
        startViewers(base, streams, viewers, rendition, true);
        Thread.sleep(seconds * 1000);
        running = false;
        Map<String, Long> byKind = new TreeMap<>();
        counts.forEach((k, v) -> byKind.put(k, v.sum()));
        long requests = byKind.entrySet().stream().filter(e -> e.getKey().matches("(playlist|part|init|segment)_\\d+"))
                .mapToLong(Map.Entry::getValue).sum();
        long failed = byKind.entrySet().stream().filter(e -> !e.getKey().endsWith("_200") && !e.getKey().equals("hinted_part_not_listed"))
                .mapToLong(Map.Entry::getValue).sum();
        return new Counts(requests, failed, byKind);
    }

    /** {@code viewers} viewer threads, round-robin over the streams: LL-HLS players, or polling ones. */
    private void startViewers(String base, List<String> streams, int viewers, String rendition, boolean lowLatency) {
        for (int i = 0; i < viewers; i++) {
            String url = base + "/live/" + streams.get(i % streams.size()) + "/" + rendition + "/index.m3u8";
            Thread t = new Thread(() -> {
                if (lowLatency) view(url);
                else poll(url);
            }, "viewer-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    private void count(String key) {
        counts.computeIfAbsent(key, k -> new LongAdder()).increment();
    }

    private HttpResponse<byte[]> get(String url, Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static final Pattern SEGMENT_URI = Pattern.compile("(?m)^(\\d+)\\.m4s$");

    /**
     * A polling viewer, until the end: reloads the (LL-HLS) playlist once a target duration and fetches each new whole
     * segment, as a player without low-latency mode does; a third of a low-latency viewer's requests.
     */
    private void poll(String playlist) {
        long newest = -1;
        String mapUri = null;
        while (running) {
            try {
                HttpResponse<byte[]> res = get(playlist, Duration.ofSeconds(10));
                count("playlist_" + res.statusCode());
                if (res.statusCode() == 200) {
                    String text = new String(res.body(), java.nio.charset.StandardCharsets.UTF_8);
                    mapUri = fetchNewInit(playlist, text, mapUri);
                    List<Long> listed = new ArrayList<>();
                    for (Matcher segment = SEGMENT_URI.matcher(text); segment.find(); ) listed.add(Long.parseLong(segment.group(1)));
                    // a new viewer starts at the live edge (the newest segment); later, every segment not fetched yet
                    if (newest < 0 && !listed.isEmpty()) newest = listed.get(listed.size() - 1) - 1;
                    for (long n : listed) {
                        if (n <= newest) continue;
                        fetch(resolve(playlist, n + ".m4s"), "segment");
                        newest = n;
                    }
                }
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!failedThenPause("viewer_exception_" + e.getClass().getSimpleName())) return;
            }
        }
    }

    /** One LL-HLS viewer, until the end. */
    private void view(String playlist) {
        String hintUrl = null;
        String mapUri = null;
        while (running) {
            try {
                String url = hintUrl == null ? playlist : hintUrl;
                HttpResponse<byte[]> res = get(url, Duration.ofSeconds(15));
                count("playlist_" + res.statusCode());
                if (res.statusCode() != 200) {
                    hintUrl = null;
                    Thread.sleep(1_000);
                    continue;
                }
                String text = new String(res.body(), java.nio.charset.StandardCharsets.UTF_8);
                mapUri = fetchNewInit(playlist, text, mapUri);
                Matcher hint = HINT.matcher(text);
                if (text.contains("#EXT-X-ENDLIST") || !hint.find()) {
                    hintUrl = null; // between sessions: reload the plain playlist
                    Thread.sleep(1_000);
                    continue;
                }
                if (hintUrl != null) {
                    // the part the previous hint named, if it came (a segment can close before a hinted part): a
                    // player fetches what the playlist lists
                    String part = lastHint(url);
                    if (text.contains("URI=\"" + part + "\"")) fetch(resolve(playlist, part), "part");
                    else count("hinted_part_not_listed");
                }
                hintUrl = playlist + "?_HLS_msn=" + hint.group(1) + "&_HLS_part=" + hint.group(2);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                hintUrl = null;
                if (!failedThenPause("viewer_exception_" + e.getClass().getSimpleName())) return;
            }
        }
    }

    /** The part URI a blocking reload URL asked for: {@code M.P.m4s}. */
    private static String lastHint(String reloadUrl) {
        String query = reloadUrl.substring(reloadUrl.indexOf('?') + 1);
        String msn = query.replaceAll(".*_HLS_msn=(\\d+).*", "$1");
        String part = query.replaceAll(".*_HLS_part=(\\d+).*", "$1");
        return msn + "." + part + ".m4s";
    }

    private static String resolve(String playlist, String uri) {
        return URI.create(playlist).resolve(uri).toString();
    }

    /** Counts a failure and waits a second before the next try; false when interrupted (the run is over). */
    private boolean failedThenPause(String failure) {
        count(failure);
        try {
            Thread.sleep(1_000);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    /** Fetches the newest EXT-X-MAP of the playlist if it is not {@code current} (a new session's); returns it. */
    private String fetchNewInit(String playlist, String text, String current) throws Exception {
        String newest = null;
        for (Matcher map = MAP.matcher(text); map.find(); ) newest = map.group(1);
        if (newest == null || newest.equals(current)) return current;
        fetch(resolve(playlist, newest), "init");
        return newest;
    }

    private void fetch(String url, String kind) throws Exception {
        HttpResponse<byte[]> res = get(url, Duration.ofSeconds(10));
        count(kind + "_" + res.statusCode());
        if (res.statusCode() == 200) bytes.addAndGet(res.body().length);
    }

    private void post(String base, String stream, String user, long n) {
        String text = "soak " + n;
        try {
            HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(base + "/api/streams/" + stream + "/chat"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.toString(Map.of("username", user, "text", text)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            count("chat_post_" + res.statusCode());
            if (res.statusCode() == 201) accepted.add(stream + "/" + text);
        } catch (Exception e) {
            count("chat_post_exception_" + e.getClass().getSimpleName());
        }
    }

    /** The room's socket for the whole run, reconnected if it drops (a drop is counted: deliveries may be missed). */
    private void listen(String base, String chatWs, String stream) {
        while (running) {
            try {
                HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/api/chat/token"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(Json.toString(Map.of("username", "soakroom" + Math.abs(stream.hashCode() % 1000))))).build(),
                        HttpResponse.BodyHandlers.ofString());
                String t = Json.MAPPER.readTree(token.body()).path("token").asText();
                Set<String> seen = delivered.get(stream);
                ChatSocketClient socket = new ChatSocketClient(frame -> {
                    if (ChatSocketClient.isType(frame, "welcome")) rooms.add(stream);
                    String text = frame.path("message").path("text").asText("");
                    if (ChatSocketClient.isType(frame, "message") && text.startsWith("soak ")) seen.add(stream + "/" + text);
                }).open(http, chatWs + "/chat/" + stream + "?token=" + t, Duration.ofSeconds(10));
                while (running && !socket.closed()) Thread.sleep(500);
                if (running) count("chat_socket_dropped");
                socket.abort();
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!failedThenPause("chat_socket_exception_" + e.getClass().getSimpleName())) return;
            }
        }
    }

    private void report(java.io.PrintStream out) {
        Map<String, Long> sorted = new TreeMap<>();
        counts.forEach((k, v) -> sorted.put(k, v.sum()));
        sorted.forEach((k, v) -> out.println(k + "=" + v));
        out.println("viewer_bytes=" + bytes.get());
        long deliveredAll = delivered.values().stream().mapToLong(Set::size).sum();
        long acceptedDelivered = accepted.stream().filter(m -> delivered.get(m.substring(0, m.indexOf('/'))).contains(m)).count();
        out.println("chat_accepted=" + accepted.size());
        out.println("chat_delivered=" + deliveredAll);
        out.println("chat_accepted_not_delivered=" + (accepted.size() - acceptedDelivered));
        List<String> missed = accepted.stream().filter(m -> !delivered.get(m.substring(0, m.indexOf('/'))).contains(m))
                .sorted(java.util.Comparator.comparingLong(m -> Long.parseLong(m.substring(m.lastIndexOf(' ') + 1)))).limit(30).toList();
        if (!missed.isEmpty()) out.println("chat_missed_first=" + missed);
    }
}
