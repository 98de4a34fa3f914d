package io.livestream.devstack.cluster.failover;

import io.livestream.common.testing.FfmpegProgram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ffmpeg publishing a test pattern in real time, started again whenever it exits, as OBS reconnects after a drop:
 * what a broadcaster does when its edge dies. Each run's output goes to its own log.
 */
final class RestartingPublisher implements AutoCloseable {
    private final String rtmpUrl;
    private final Path logDir;
    private final Thread thread;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Process current;
    private volatile boolean running = true;

    RestartingPublisher(String rtmpUrl, Path logDir) {
        this.rtmpUrl = rtmpUrl;
        this.logDir = logDir;
        this.thread = new Thread(this::run, "publisher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                current = FfmpegProgram.publishTestPattern(rtmpUrl, "854x480", 30, 3600, logDir.resolve("ffmpeg-" + starts.incrementAndGet() + ".log"));
                current.waitFor();
                // OBS waits a moment before reconnecting
                if (running) Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The last lines of the current (or last) run's log, for a failure message. */
    String lastLogTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logDir.resolve("ffmpeg-" + starts.get() + ".log"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    int starts() {
        return starts.get();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Process process = current;
        if (process != null) process.destroy();
    }
}
