package io.livestream.origin.api;

import io.livestream.origin.http.OriginRequest;
import io.livestream.origin.http.Resource;
import io.livestream.origin.http.Route;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /api/openapi.json}: the contract, read from the classpath once. On the event loop. */
public final class OpenApiHandler {
    private final Resource document = new Resource(200, load(), Resource.JSON_TYPE, "public, max-age=300", null, false);

    public Resource document(Route.OpenApi route, OriginRequest request) {
        return document;
    }

    /** The document's bytes (for tests that walk it). */
    public static byte[] load() {
        try (InputStream in = OpenApiHandler.class.getResourceAsStream("openapi.json")) {
            if (in == null) throw new IllegalStateException("openapi.json missing from the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
