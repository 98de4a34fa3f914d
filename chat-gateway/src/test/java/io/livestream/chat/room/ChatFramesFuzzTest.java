package io.livestream.chat.room;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.limits.InboundText;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.json.Json;
import java.io.IOException;
import java.util.List;

/**
 * A client's text frame goes the way the gateway takes it (size and UTF-8 check, JSON parse, the send and moderate
 * fields) and whatever survives comes back out in the frames and records the gateway writes: these always serialise,
 * and parse back to the same text. A JSON escape such as \ud800 makes strings no UTF-8 check can see.
 */
class ChatFramesFuzzTest {
    @FuzzTest(maxDuration = "3s")
    void whateverAFrameCarriesComesBackOutInTheFramesSent(byte[] payload) throws IOException {
        if (!(InboundText.check(payload, 4096) instanceof InboundText.Ok ok)) return;
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(ok.text());
        } catch (IOException e) {
            return; // the gateway answers "frames are JSON objects"
        }
        if (json == null || !json.isObject()) return;
        String text = json.path("text").asText("");
        String user = json.path("user").asText("u");

        ChatSubmitted submitted = ChatSubmitted.of("s", "id", user, ChatRole.VIEWER, text, 1L, "origin");
        ChatSubmitted published = Json.fromBytes(Json.toBytes(submitted), ChatSubmitted.class); // what goes to Kafka
        assertThat(published.text()).isEqualTo(text);
        ChatAccepted accepted = ChatAccepted.of(published, null);
        assertThat(Json.MAPPER.readTree(ChatFrames.message(accepted)).path("message").path("text").asText()).isEqualTo(text);
        assertThat(Json.MAPPER.readTree(ChatFrames.history(List.of(accepted))).path("messages").get(0).path("text").asText()).isEqualTo(text);
        assertThat(Json.MAPPER.readTree(ChatFrames.welcome("s", user, "viewer")).path("user").asText()).isEqualTo(user);

        String action = json.path("action").asText(null);
        String target = json.path("target").asText(null);
        String messageId = json.path("messageId").asText(null);
        Integer seconds = json.hasNonNull("seconds") ? json.get("seconds").asInt() : null;
        if (ChatModeration.invalidReason(action, target, messageId, seconds) == null) {
            ChatModeration m = new ChatModeration(ChatModeration.SCHEMA_VERSION, "s", "id", action, user, "moderator", target,
                    messageId, seconds, 1L, "origin");
            JsonNode frame = Json.MAPPER.readTree(ChatFrames.moderation(m));
            assertThat(frame.path("action").asText()).isEqualTo(action);
            if (target != null) assertThat(frame.path("target").asText()).isEqualTo(target);
        }
        assertThat(Json.MAPPER.readTree(ChatFrames.error("invalid", text, 3, messageId)).path("message").asText()).isEqualTo(text);
    }
}
