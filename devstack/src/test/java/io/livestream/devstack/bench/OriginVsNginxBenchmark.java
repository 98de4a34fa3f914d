package io.livestream.devstack.bench;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoreConfig;
import io.livestream.devstack.infra.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our origin against nginx serving the same bytes, side by side in one run: the origin's in-memory segment store
 * over Netty vs nginx (sendfile) reading the same playlist and segments from disk, both loaded by wrk with 64
 * connections on this machine, after 5 s of warm-up of the origin on each. Needs Debian's nginx and wrk.
 *
 * <p>Run: {@code bench/origin-vs-nginx.sh [seconds=10] [connections=64] [rounds=1]}: with more rounds the two alternate
 * and the median ratio is printed, for a machine where other work moves single figures.
 */
public final class OriginVsNginxBenchmark {
    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern TRANSFER = Pattern.compile("Transfer/sec:\\s+([\\d.]+)(\\w+)");
    private static final Pattern P50 = Pattern.compile("50%\\s+([\\d.]+)(\\w+)");
    private static final Pattern P99 = Pattern.compile("99%\\s+([\\d.]+)(\\w+)");

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        SegmentStore store = new SegmentStore(StoreConfig.DEFAULTS);
        Random random = new Random(7);
        for (long seq = 0; seq < 6; seq++) {
            byte[] ts = new byte[188 * 2660]; // ~500 KB: a 2 s segment at 2 Mbit/s
            random.nextBytes(ts);
            for (int i = 0; i < ts.length; i += 188) ts[i] = 0x47;
            store.onMediaRecord(new MediaRecord("s1", "session", "360p", MediaRecord.Type.SEGMENT, seq, -1, 2.0, seq * 2000, true,
                    false, "avc1.64001e,mp4a.40.2", 640, 360, 30, 2_000_000, System.currentTimeMillis() - (6 - seq) * 2000, ts));
        }
        OriginServer origin = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store);
        int originPort = origin.start();
        String originBase = "http://127.0.0.1:" + originPort + "/live/s1/ts/360p/"; // TS records: the legacy tree

        // nginx's workers run as an unprivileged user: the files must be world-readable
        Path root = Files.createTempDirectory("nginx-bench",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        Path dir = Files.createDirectories(root.resolve("html/live/s1/ts/360p")); // the same path as the origin's
        HttpClient http = HttpClient.newHttpClient();
        String playlist = http.send(HttpRequest.newBuilder(URI.create(originBase + "index.m3u8")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Files.writeString(dir.resolve("index.m3u8"), playlist);
        String segment = playlist.lines().filter(l -> l.endsWith(".ts")).reduce((a, b) -> b).orElseThrow();
        Files.write(dir.resolve(segment), http.send(HttpRequest.newBuilder(URI.create(originBase + segment)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        int nginxPort = FreePorts.pick(0);
        Files.writeString(root.resolve("nginx.conf"), """
                worker_processes 2;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 4096; }
                http {
                  access_log off;
                  sendfile on; tcp_nopush on; keepalive_requests 100000;
                  client_body_temp_path %1$s/tmp; proxy_temp_path %1$s/tmp; fastcgi_temp_path %1$s/tmp;
                  uwsgi_temp_path %1$s/tmp; scgi_temp_path %1$s/tmp;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/html;
                    location ~ \\.m3u8$ { types { } default_type application/vnd.apple.mpegurl; add_header Cache-Control "public, max-age=1"; etag on; }
                    location ~ \\.ts$ { types { } default_type video/mp2t; add_header Cache-Control "public, max-age=86400, immutable"; etag on; }
                  }
                }
                """.formatted(root, nginxPort));
        Files.createDirectories(root.resolve("tmp"));
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-c", root.resolve("nginx.conf").toString(), "-p", root.toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(root.resolve("nginx.out").toFile()).start();
        try {
            while (!FreePorts.isListening("127.0.0.1", nginxPort, 200)) Thread.sleep(100);
            String nginxBase = "http://127.0.0.1:" + nginxPort + "/live/s1/ts/360p/"; // TS records: the legacy tree
            // JIT warm-up of the origin on both answers: nginx needs none, and a cold origin's first seconds measure the compiler
            for (String resource : List.of("index.m3u8", segment)) wrk(originBase + resource, 5, connections, () -> 0);
            System.out.printf("%n%d connections, %d s each, wrk -t2 on the same 2 cores, %d round(s) each; load average %s%n", connections, seconds,
                    rounds, Files.readString(Path.of("/proc/loadavg")).trim());
            System.out.println("| resource | server | requests/s | transfer/s | latency p50 | p99 | server CPU per request | ours / nginx (requests/s) |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            long self = ProcessHandle.current().pid();
            for (String resource : List.of("index.m3u8", segment)) {
                List<Double> ratios = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    Run ours = wrk(originBase + resource, seconds, connections, () -> ProcStats.cpuSeconds(self));
                    Run theirs = wrk(nginxBase + resource, seconds, connections, () -> ProcStats.treeCpuSeconds(nginx.pid()));
                    double ratio = ours.requestsPerSec() / theirs.requestsPerSec();
                    ratios.add(ratio);
                    System.out.printf("| %s | origin | %s | %.2f |%n", resource.endsWith(".ts") ? "segment (500 KB)" : "media playlist", ours, ratio);
                    System.out.printf("| | nginx | %s | |%n", theirs);
                }
                if (rounds > 1) System.out.printf("median ratio for %s: %.2f%n", resource, ratios.stream().sorted().toList().get(rounds / 2));
            }
        } finally {
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
            origin.close();
        }
        System.exit(0);
    }

    /** What a server's CPU time (user + system seconds) is now. */
    @FunctionalInterface
    private interface CpuClock {
        double seconds() throws Exception;
    }

    /** One wrk run: its figures, and the server's CPU time per request over it (the figure least moved by other load). */
    private record Run(double requestsPerSec, String transfer, String p50, String p99, double cpuMicrosPerRequest) {
        @Override
        public String toString() {
            return String.format("%.0f | %s | %s | %s | %.1f µs", requestsPerSec, transfer, p50, p99, cpuMicrosPerRequest);
        }
    }

    private static Run wrk(String url, int seconds, int connections, CpuClock server) throws Exception {
        double cpuBefore = server.seconds();
        Process p = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + seconds + "s", "--latency", url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        double cpu = server.seconds() - cpuBefore;
        if (out.contains("Non-2xx or 3xx responses")) throw new IllegalStateException("error responses from " + url + ":\n" + out);
        long requests = Long.parseLong(find(REQUESTS, out, false));
        return new Run(Double.parseDouble(find(RPS, out, false)), find(TRANSFER, out, true), find(P50, out, true), find(P99, out, true),
                cpu * 1e6 / requests);
    }

    private static String find(Pattern pattern, String text, boolean withUnit) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) throw new IllegalStateException("wrk output without " + pattern + ":\n" + text);
        return withUnit ? m.group(1) + " " + m.group(2) : m.group(1);
    }

    private OriginVsNginxBenchmark() {}
}
