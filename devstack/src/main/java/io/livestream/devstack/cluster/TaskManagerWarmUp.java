package io.livestream.devstack.cluster;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java agent on each TaskManager ({@code -javaagent:devstack.jar=<io.tmp.dir>}, TaskManagerRunner stays the main class)
 * that, once the JVM is up, does in the background the first-use work a job restore would otherwise do on the
 * clock: RocksDB's native library extracted and loaded (as Flink's state backend would, into the same directory),
 * FFmpeg's libraries loaded and an H.264 encode, decode and mux of a few tiny frames run through them.
 *
 * <p>Why: after a TaskManager is killed, the jobs restore onto the survivor, which in a failover is often the one that
 * was itself restarted earlier and has run nothing since. Measured in the failover suite, such a cold TaskManager took
 * 4 s to initialize the restored tasks (1.4 s warm) and 3-4 s more before the restored transcoder's first session
 * (0.1 s warm). Only classes of the parent class loader (Flink, RocksDB, JavaCV: {@code classloader.parent-first-patterns})
 * can be warmed this way; the job's own classes come with each job attempt's class loader.
 */
public final class TaskManagerWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(TaskManagerWarmUp.class);

    private TaskManagerWarmUp() {}

    public static void premain(String tmpDir) {
        Thread thread = new Thread(() -> warmUp(tmpDir == null || tmpDir.isBlank() ? System.getProperty("java.io.tmpdir") : tmpDir),
                "taskmanager-warm-up");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    static void warmUp(String tmpDir) {
        long started = System.nanoTime();
        try {
            loadRocksDb(tmpDir);
            long rocksDb = System.nanoTime();
            encodeDecodeAndMux();
            LOG.info("warm-up done: RocksDB loaded in {} ms, FFmpeg encode, decode and mux in {} ms",
                    (rocksDb - started) / 1_000_000, (System.nanoTime() - rocksDb) / 1_000_000);
        } catch (Throwable e) {
            // a warm-up that fails costs nothing but the warm-up: the restore does the same work itself
            LOG.warn("warm-up skipped: {}", e.toString());
        }
    }

    /** Flink's own loader (package-private), so the library is the one and only copy the state backend then uses. */
    private static void loadRocksDb(String tmpDir) throws Exception {
        Files.createDirectories(Path.of(tmpDir));
        Class<?> backend = Class.forName("org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend");
        Method ensureLoaded = backend.getDeclaredMethod("ensureRocksDBIsLoaded", String.class);
        ensureLoaded.setAccessible(true);
        ensureLoaded.invoke(null, tmpDir);
    }

    private static void encodeDecodeAndMux() throws Exception {
        int width = 160, height = 96;
        ByteArrayOutputStream muxed = new ByteArrayOutputStream();
        avutil.av_log_set_level(avutil.AV_LOG_ERROR);
        try (FFmpegFrameRecorder recorder = new FFmpegFrameRecorder(muxed, width, height, 0)) {
            recorder.setFormat("mpegts");
            recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
            recorder.setVideoOption("preset", "veryfast");
            recorder.setVideoOption("tune", "zerolatency");
            recorder.setFrameRate(30);
            recorder.setGopSize(15);
            recorder.start();
            Frame frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
            ByteBuffer pixels = (ByteBuffer) frame.image[0];
            for (int i = 0; i < 30; i++) {
                for (int p = 0; p < pixels.capacity(); p++) pixels.put(p, (byte) (p + i * 7));
                recorder.record(frame);
            }
            recorder.stop();
        }
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(new ByteArrayInputStream(muxed.toByteArray()))) {
            grabber.setFormat("mpegts");
            grabber.start();
            while (grabber.grabImage() != null) { /* decode every frame */ }
            grabber.stop();
        }
    }
}
