package io.livestream.origin.web;

import io.livestream.common.json.Json;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import io.livestream.origin.http.RouteTable;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The viewer and broadcaster pages: home ({@code /}), the watch page ({@code /watch/{id}}), the broadcaster console
 * ({@code /console}) and their static files under {@code /static/} (hls.js is fetched from npm at build time). Plain
 * HTML and JavaScript from the classpath, cached after the first read, so on the event loop. {@code /web-config.json}
 * tells the pages where chat lives.
 */
public final class WebPages {
    private static final String HTML = "text/html; charset=utf-8";

    private final int chatPort;
    private final Map<String, Resource> cache = new ConcurrentHashMap<>();

    /** @param chatPort the chat gateway's port on the same host as the page (for the WebSocket) */
    public WebPages(int chatPort) {
        this.chatPort = chatPort;
    }

    public RouteTable routes() {
        return RouteTable.builder()
                .onEventLoop(Route.Page.class, (r, request) -> page(r))
                .onEventLoop(Route.WebConfig.class, (r, request) -> config(request))
                .build();
    }

    private Resource page(Route.Page page) {
        String name = page.file();
        boolean html = name.endsWith(".html") && !name.contains("/");
        return file(name, contentType(name), html ? "no-cache" : "public, max-age=300");
    }

    private Resource config(OriginRequest request) {
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
            if (in == null) throw new HttpError(404, "not found");
            byte[] body = in.readAllBytes();
            Resource resource = new Resource(200, body, contentType, cacheControl, etag(body), false);
            cache.put(name, resource);
            return resource;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
