package io.livestream.origin.web;

import io.livestream.common.json.Json;
import io.livestream.origin.http.HttpExtension;
import io.livestream.origin.http.Resource;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The viewer and broadcaster pages: home ({@code /}), the watch page ({@code /watch/{id}}), the broadcaster console
 * ({@code /console}) and their static files under {@code /static/} (hls.js is fetched from npm at build time). Plain
 * HTML and JavaScript from the classpath, no framework. {@code /web-config.json} tells the pages where chat lives.
 */
public final class WebPages implements HttpExtension {
    private static final Pattern STATIC_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)?");
    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final String HTML = "text/html; charset=utf-8";

    private final int chatPort;
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    /** @param chatPort the chat gateway's port on the same host as the page (WebSocket and its small HTTP API) */
    public WebPages(int chatPort) {
        this.chatPort = chatPort;
    }

    @Override
    public Resource handle(FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        boolean page = path.equals("/") || path.equals("/console") || path.startsWith("/watch/") || path.startsWith("/static/")
                || path.equals("/web-config.json");
        if (!page) return null;
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            return error(405, "method not allowed");
        }
        if (path.equals("/")) return file("index.html", HTML, "no-cache");
        if (path.equals("/console")) return file("console.html", HTML, "no-cache");
        if (path.equals("/web-config.json")) return config(request);
        if (path.startsWith("/watch/")) {
            String id = path.substring("/watch/".length());
            return STREAM_ID.matcher(id).matches() ? file("watch.html", HTML, "no-cache") : error(404, "no such stream");
        }
        String name = path.substring("/static/".length());
        if (!STATIC_NAME.matcher(name).matches()) return error(404, "not found");
        return file(name, contentType(name), "public, max-age=300");
    }

    private Resource config(FullHttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "localhost");
        String hostname = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("chatHttpUrl", "http://" + hostname + ":" + chatPort);
        config.put("chatWsUrl", "ws://" + hostname + ":" + chatPort);
        byte[] body = Json.toBytes(config);
        return new Resource(200, body, Resource.JSON_TYPE, "no-cache", etag(body), false);
    }

    private Resource file(String name, String contentType, String cacheControl) {
        Resource cached = cache.get(name);
        if (cached != null) return cached;
        try (InputStream in = WebPages.class.getResourceAsStream("/web/" + name)) {
            if (in == null) return error(404, "not found");
            byte[] body = in.readAllBytes();
            Resource resource = new Resource(200, body, contentType, cacheControl, etag(body), false);
            cache.put(name, resource);
            return resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Resource error(int status, String message) {
        return new Resource(status, Json.toBytes(Map.of("error", message)), Resource.JSON_TYPE, "no-store", null, false);
    }

    static String contentType(String name) {
        if (name.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (name.endsWith(".css")) return "text/css; charset=utf-8";
        if (name.endsWith(".html")) return HTML;
        if (name.endsWith(".svg")) return "image/svg+xml";
        return "application/octet-stream";
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
