package io.livestream.devstack.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NginxClusterConfigTest {
    private static final Path COMPOSE_CONFIG = Path.of("../deploy/nginx/nginx.conf");

    @TempDir
    Path dir;

    @Test
    void isTheComposeConfigWithOnlyUpstreamsListenPortAndCacheDirSubstituted() throws Exception {
        String compose = Files.readString(COMPOSE_CONFIG);
        String cluster = new NginxClusterConfig(dir.resolve("cache")).render(compose);

        assertThat(cluster).startsWith(NginxClusterConfig.DEBIAN_STREAM_MODULE)
                .contains("server 127.0.0.1:18080 max_fails=2 fail_timeout=5s;", "server 127.0.0.1:18082 max_fails=2 fail_timeout=5s;",
                        "server 127.0.0.1:18090;", "server 127.0.0.1:18091;",
                        "server 127.0.0.1:11935 max_fails=2 fail_timeout=5s;", "server 127.0.0.1:11936 max_fails=2 fail_timeout=5s;",
                        "listen 8080;", "listen 8090;", "listen 1935;", "proxy_cache_path " + dir.resolve("cache") + "/hls ")
                .doesNotContain("origin-1:", "chat-2:", "edge-1:", "/var/cache/nginx");
        // mapped back, it is the compose file's text exactly: the two configurations cannot drift apart
        String back = cluster.substring(NginxClusterConfig.DEBIAN_STREAM_MODULE.length())
                .replace("127.0.0.1:18080", "origin-1:8080").replace("127.0.0.1:18082", "origin-2:8080")
                .replace("127.0.0.1:18090", "chat-1:8090").replace("127.0.0.1:18091", "chat-2:8090")
                .replace("127.0.0.1:11935", "edge-1:1935").replace("127.0.0.1:11936", "edge-2:1935")
                .replace("listen 8080;", "listen 80;").replace(dir.resolve("cache") + "/", NginxClusterConfig.COMPOSE_CACHE_DIR);
        assertThat(back).isEqualTo(compose);
    }

    @Test
    void debiansNginxAcceptsTheGeneratedConfig() throws Exception {
        Path conf = dir.resolve("nginx.conf");
        Files.createDirectories(dir.resolve("cache"));
        Files.writeString(conf, new NginxClusterConfig(dir.resolve("cache")).render(Files.readString(COMPOSE_CONFIG)));
        List<String> command = new java.util.ArrayList<>(NginxClusterConfig.command(dir, conf, false));
        command.add("-t");
        Process nginx = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(nginx.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(nginx.getInputStream().readAllBytes());
        assertThat(output).contains("syntax is ok");
    }
}
