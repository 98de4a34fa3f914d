package io.livestream.devstack.cluster;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The balancer and cache of the cluster: deploy/nginx/nginx.conf, the compose file's front door, with only what differs
 * on one machine substituted — the upstream servers (compose names become 127.0.0.1 and internal ports), the HTTP
 * listen port (compose maps 8080 to 80), the cache directory — and Debian's stream module loaded. Everything else
 * is the same text, so the two cannot drift apart ({@code NginxClusterConfigTest} checks it).
 */
public final class NginxClusterConfig {
    static final String DEBIAN_STREAM_MODULE = "load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n";
    static final String COMPOSE_CACHE_DIR = "/var/cache/nginx/";
    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^(\\s*server )(origin|chat|edge)-(\\d+):(\\d+)");
    private static final Pattern HTTP_LISTEN = Pattern.compile("(?m)^(\\s*listen )80;");

    private final Map<String, List<Integer>> upstreamPorts = new LinkedHashMap<>();
    private final Path cacheDir;

    public NginxClusterConfig(Path cacheDir) {
        this.cacheDir = cacheDir;
        upstreamPorts.put("origin", ClusterLayout.ORIGIN_PORTS);
        upstreamPorts.put("chat", ClusterLayout.CHAT_GATEWAY_PORTS);
        upstreamPorts.put("edge", ClusterLayout.EDGE_PORTS);
    }

    public String render(String composeConfig) {
        Matcher servers = UPSTREAM_SERVER.matcher(composeConfig);
        StringBuilder out = new StringBuilder();
        while (servers.find()) {
            List<Integer> ports = upstreamPorts.get(servers.group(2));
            int index = Integer.parseInt(servers.group(3));
            if (index > ports.size()) throw new IllegalArgumentException("no local port for upstream " + servers.group(2) + "-" + index);
            servers.appendReplacement(out, Matcher.quoteReplacement(servers.group(1) + ClusterLayout.HOST + ":" + ports.get(index - 1)));
        }
        servers.appendTail(out);
        String text = HTTP_LISTEN.matcher(out).replaceAll("$1" + ClusterLayout.HTTP_PORT + ";");
        text = text.replace(COMPOSE_CACHE_DIR, cacheDir.toString() + "/");
        return DEBIAN_STREAM_MODULE + text;
    }

    /** The command line: in the foreground (the supervisor watches it), pid and error log under its own prefix. */
    public static List<String> command(Path prefix, Path configFile, boolean runAsRoot) {
        String globals = "daemon off; pid " + prefix.resolve("nginx.pid") + ";"
                // as root, workers would run as nobody and could not write the cache under the data directory
                + (runAsRoot ? " user root;" : "");
        return List.of("nginx", "-p", prefix + "/", "-c", configFile.toString(), "-e", "stderr", "-g", globals);
    }
}
