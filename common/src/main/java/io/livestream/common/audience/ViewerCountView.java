package io.livestream.common.audience;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The answer of {@code GET /api/streams/{id}/viewers}, wherever it is served (origin or chat gateway), from the
 * audience job's hash ({@link ViewerKeys}): {@code {"streamId","count","peak","updatedAt","byRendition"}}, zeros when absent.
 */
public final class ViewerCountView {
    public static Map<String, Object> of(String streamId, Map<String, String> hash) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("streamId", streamId);
        out.put("count", number(hash.get(ViewerKeys.COUNT)));
        out.put("peak", number(hash.get(ViewerKeys.PEAK)));
        out.put("updatedAt", number(hash.get(ViewerKeys.UPDATED_AT)));
        out.put("byRendition", byRendition(hash.get(ViewerKeys.BY_RENDITION)));
        return out;
    }

    public static long count(Map<String, String> hash) {
        return number(hash.get(ViewerKeys.COUNT));
    }

    private static Object byRendition(String json) {
        if (json == null) return Map.of();
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            return node != null && node.isObject() ? node : Map.of();
        } catch (IOException e) {
            return Map.of();
        }
    }

    private static long number(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private ViewerCountView() {}
}
