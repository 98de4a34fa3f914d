package io.livestream.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * The redis-server bundled with embedded-redis, run as a child process with its files in a directory of
 * ours: append-only file plus RDB snapshots, so a restart on the same directory keeps the data.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final String PID_FILE = "redis-server.pid";

    private final RedisServer server;
    private final int port;

    private EmbeddedRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts redis-server on {@code port} (0 = a free port) with its data files in {@code dir}. */
    public static EmbeddedRedis start(Path dir, int port) {
        long started = System.nanoTime();
        try {
            Files.createDirectories(dir);
            Path pidFile = dir.resolve(PID_FILE);
            stopOrphan(dir);
            int chosen = FreePorts.pick(port);
            RedisServer server = RedisServer.newRedisServer()
                    .port(chosen)
                    .bind(HOST)
                    .setting("dir \"" + dir.toAbsolutePath() + "\"")
                    .setting("appendonly yes")
                    .setting("appendfsync everysec")
                    .setting("save 60 1")
                    .setting("pidfile \"" + pidFile.toAbsolutePath() + "\"")
                    // SIGTERM and wait, so redis writes its final AOF / RDB before we start again on the same dir
                    .onShutdownForceStop(false)
                    .build();
            server.start();
            LOG.info("redis started at {}:{} in {} ms, data in {}", HOST, chosen,
                    (System.nanoTime() - started) / 1_000_000, dir);
            return new EmbeddedRedis(server, chosen);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server in " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * A redis-server left running on our directory by a process that was killed (SIGKILL gives the JVM no chance to
     * stop its child): stopped, so that it saves its data and frees the port before we start a new one there.
     */
    public static void stopOrphan(Path dir) throws IOException {
        Path pidFile = dir.resolve(PID_FILE);
        if (!Files.exists(pidFile)) return;
        String text = Files.readString(pidFile).trim();
        Files.deleteIfExists(pidFile);
        if (!text.matches("\\d+")) return;
        Optional<ProcessHandle> orphan = ProcessHandle.of(Long.parseLong(text))
                .filter(p -> p.info().command().map(c -> c.contains("redis-server")).orElse(false));
        if (orphan.isEmpty()) return;
        LOG.info("stopping redis-server {} left running on {} by an earlier run", text, pidFile.getParent());
        orphan.get().destroy();
        try {
            orphan.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            orphan.get().destroyForcibly();
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://" + HOST + ":" + port;
    }

    @Override
    public void close() {
        try {
            server.stop();
            LOG.info("redis at {}:{} stopped", HOST, port);
        } catch (IOException e) {
            throw new UncheckedIOException("stopping redis-server failed", e);
        }
    }
}
