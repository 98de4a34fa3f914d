package io.livestream.origin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.origin.http.HttpError;
import java.io.IOException;

/** A request body as a JSON object, and its fields; anything else is a 400 with a message, never a 500. */
final class JsonBody {
    static JsonNode object(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "body is not valid JSON");
        } catch (IOException e) {
            throw new HttpError(400, "body is not valid JSON");
        }
        if (node == null || !node.isObject()) throw new HttpError(400, "body must be a JSON object");
        return node;
    }

    static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) throw new HttpError(400, "missing field " + field);
        if (!value.isTextual()) throw new HttpError(400, field + " must be a string");
        return value.asText();
    }

    private JsonBody() {}
}
