package io.livestream.devstack.bench;

import io.livestream.devstack.infra.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A private Debian nginx for the side-by-side benchmarks: in the foreground on a generated configuration in its own
 * directory (pid file and logs there), up once it listens on the given port, stopped on close.
 */
final class NginxProcess implements AutoCloseable {
    /** Debian's libnginx-mod-rtmp, the nginx-rtmp module users run as the alternative to our edge. */
    static final String RTMP_MODULE = "/usr/lib/nginx/modules/ngx_rtmp_module.so";

    private final Process process;

    /** One worker with nginx-rtmp loaded, its pid file and error log in the root; {@code blocks} follow (rtmp, http). */
    static String withRtmpModule(String blocks) {
        return """
                load_module %s;
                worker_processes 1;
                pid %%ROOT%%/nginx.pid;
                error_log %%ROOT%%/logs/error.log;
                events { worker_connections 1024; }
                """.formatted(RTMP_MODULE) + blocks;
    }

    private NginxProcess(Process process) {
        this.process = process;
    }

    /**
     * @param root   the directory for nginx.conf, the pid file and logs/
     * @param config the configuration; {@code %ROOT%} in it stands for {@code root}
     * @param port   a port the configuration listens on: nginx is up once it accepts there
     */
    static NginxProcess start(Path root, String config, int port) throws IOException, InterruptedException {
        Files.createDirectories(root.resolve("logs"));
        Path conf = root.resolve("nginx.conf");
        Files.writeString(conf, config.replace("%ROOT%", root.toString()));
        Path out = root.resolve("nginx.out");
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", root.toString(), "-c", conf.toString(), "-g", "daemon off;")
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!FreePorts.isListening("127.0.0.1", port, 200)) {
            if (!nginx.isAlive() || System.nanoTime() > deadline) {
                nginx.destroy();
                throw new IllegalStateException("nginx did not start: " + Files.readString(out));
            }
            Thread.sleep(100);
        }
        return new NginxProcess(nginx);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
