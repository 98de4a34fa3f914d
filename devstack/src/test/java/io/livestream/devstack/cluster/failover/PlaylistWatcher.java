package io.livestream.devstack.cluster.failover;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A polling HLS player without a decoder: reloads one media playlist through the cache every 250 ms as a player
 * would, and keeps what a player would suffer from — when each new segment appeared, media sequence numbers going
 * backwards, a number coming back with another URI (or a gap coming back as media, or the reverse), a URI twice in
 * one playlist, and every failed request. EXT-X-GAP entries (numbers the transcoder skipped) are not arrivals: a
 * player waits through them, and they count as lost.
 */
final class PlaylistWatcher implements AutoCloseable {
    record Segment(long sequence, String uri, long firstSeenNanos, boolean gap) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI playlist;
    private final Thread thread;
    private final Map<Long, Segment> bySequence = new ConcurrentHashMap<>();
    private final List<Segment> arrivals = new CopyOnWriteArrayList<>();
    final List<String> violations = new CopyOnWriteArrayList<>();
    final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile long highestMediaSequence = -1;
    /** Where the media of the newest listed segment ends, by its PROGRAM-DATE-TIME: how near live the stream is. */
    private volatile long newestMediaEndMs;
    private volatile boolean running = true;

    PlaylistWatcher(URI playlist) {
        this.playlist = playlist;
        this.thread = new Thread(this::run, "playlist-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(playlist).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) observe(response.body());
                else errors.add(System.currentTimeMillis() + " HTTP " + response.statusCode());
            } catch (Exception e) {
                if (running) errors.add(System.currentTimeMillis() + " " + e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void observe(String text) {
        long now = System.nanoTime();
        long sequence = -1;
        List<String> uris = new ArrayList<>();
        List<Boolean> gaps = new ArrayList<>();
        boolean afterInf = false;
        boolean gap = false;
        long dateMs = 0;
        double duration = 0;
        for (String line : text.split("\n")) {
            line = line.trim();
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) sequence = Long.parseLong(line.substring(22).trim());
            else if (line.equals("#EXT-X-GAP")) gap = true;
            else if (line.startsWith("#EXT-X-PROGRAM-DATE-TIME:")) dateMs = java.time.OffsetDateTime.parse(line.substring(25)).toInstant().toEpochMilli();
            else if (line.startsWith("#EXTINF")) {
                afterInf = true;
                duration = Double.parseDouble(line.substring(8, line.indexOf(',')));
            }
            else if (afterInf && !line.isEmpty() && !line.startsWith("#")) {
                uris.add(line);
                gaps.add(gap);
                if (!gap && dateMs > 0) newestMediaEndMs = Math.max(newestMediaEndMs, dateMs + Math.round(duration * 1000));
                afterInf = false;
                gap = false;
            }
        }
        if (sequence < 0) return;
        if (sequence < highestMediaSequence) violations.add("EXT-X-MEDIA-SEQUENCE went back from " + highestMediaSequence + " to " + sequence);
        highestMediaSequence = Math.max(highestMediaSequence, sequence);
        if (uris.stream().distinct().count() != uris.size()) violations.add("a segment is listed twice: " + uris);
        for (int i = 0; i < uris.size(); i++) {
            long msn = sequence + i;
            Segment seen = bySequence.get(msn);
            if (seen == null) {
                Segment segment = new Segment(msn, uris.get(i), now, gaps.get(i));
                bySequence.put(msn, segment);
                if (!segment.gap()) arrivals.add(segment);
            } else if (!seen.uri().equals(uris.get(i)) || seen.gap() != gaps.get(i)) {
                violations.add("sequence " + msn + " came back as " + uris.get(i) + (gaps.get(i) ? " (a gap)" : "") + " (was " + seen.uri()
                        + (seen.gap() ? ", a gap" : "") + ")");
            }
        }
    }

    /** How far the newest listed segment's media ends behind the wall clock, ms (large before any segment). */
    long behindLiveMs() {
        return System.currentTimeMillis() - newestMediaEndMs;
    }

    /** Segments first seen at or after {@code fromNanos}. */
    List<Segment> arrivalsSince(long fromNanos) {
        return arrivals.stream().filter(s -> s.firstSeenNanos() >= fromNanos).toList();
    }

    int segmentCount() {
        return arrivals.size();
    }

    /**
     * The longest wait for a new segment in [from, to], beyond the usual cadence measured before {@code from}: what a
     * player at the live edge waits extra. Counts from the last segment before {@code from}.
     */
    Duration stall(long fromNanos, long toNanos) {
        List<Segment> all = List.copyOf(arrivals);
        List<Long> before = all.stream().map(Segment::firstSeenNanos).filter(t -> t < fromNanos).toList();
        long cadence = usualGap(before);
        long previous = before.isEmpty() ? fromNanos : before.get(before.size() - 1);
        long worst = 0;
        for (Segment s : all) {
            if (s.firstSeenNanos() < fromNanos) continue;
            if (s.firstSeenNanos() > toNanos) break;
            worst = Math.max(worst, s.firstSeenNanos() - previous);
            previous = s.firstSeenNanos();
        }
        worst = Math.max(worst, Math.min(toNanos, System.nanoTime()) - previous);
        return Duration.ofNanos(Math.max(0, worst - cadence));
    }

    /**
     * When playback resumed after the fault at {@code fromNanos}: the end of the longest wait for a new segment in
     * [from, to] (segments still in flight at the kill do not count as resumed), in ms after {@code from}; -1 if none came.
     */
    long resumedAfterMs(long fromNanos, long toNanos) {
        long previous = fromNanos;
        long worst = -1;
        long resumedAt = -1;
        for (Segment s : List.copyOf(arrivals)) {
            if (s.firstSeenNanos() < fromNanos) continue;
            if (s.firstSeenNanos() > toNanos) break;
            if (s.firstSeenNanos() - previous > worst) {
                worst = s.firstSeenNanos() - previous;
                resumedAt = s.firstSeenNanos();
            }
            previous = s.firstSeenNanos();
        }
        return resumedAt < 0 ? -1 : (resumedAt - fromNanos) / 1_000_000;
    }

    /** The median gap between segment arrivals (the segment duration, as a poller sees it). */
    static long usualGap(List<Long> times) {
        if (times.size() < 3) return Duration.ofSeconds(1).toNanos();
        List<Long> gaps = new ArrayList<>();
        for (int i = Math.max(1, times.size() - 20); i < times.size(); i++) gaps.add(times.get(i) - times.get(i - 1));
        gaps.sort(Long::compare);
        return gaps.get(gaps.size() / 2);
    }

    /** Sequence numbers that were skipped between the first and last ones seen since {@code fromNanos}. */
    long missingSequences(long fromNanos) {
        List<Long> seen = arrivals.stream().filter(s -> s.firstSeenNanos() >= fromNanos).map(Segment::sequence).sorted().toList();
        if (seen.size() < 2) return 0;
        return seen.get(seen.size() - 1) - seen.get(0) + 1 - seen.size();
    }

    /** When the poller first saw each sequence number, in wall-clock ms (to line up with Kafka's record times). */
    Map<Long, Long> firstSeenWallMs() {
        long wallMinusNanoMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        Map<Long, Long> out = new java.util.HashMap<>();
        bySequence.forEach((sequence, segment) -> out.put(sequence, wallMinusNanoMs + segment.firstSeenNanos() / 1_000_000));
        return out;
    }

    long lastSequence() {
        return arrivals.isEmpty() ? -1 : arrivals.get(arrivals.size() - 1).sequence();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
