package io.livestream.chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.chat.Fakes;
import io.livestream.chat.auth.ChatIdentity;
import io.livestream.chat.room.ChatConnection;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatEvent;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatRejected;
import io.livestream.common.chat.ChatRole;
import io.livestream.common.json.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The socket handler and its connection through EmbeddedChannel: limits, error frames, flood cut, slow client, join. */
class ChatWebSocketHandlerTest {
    final Fakes fakes = new Fakes();
    final List<EmbeddedChannel> channels = new ArrayList<>();

    EmbeddedChannel socket(ChatIdentity identity) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ChatConnection c = new ChatConnection("c" + channels.size(), "s1", identity, ch, fakes.config.outboundQueueFrames());
        ch.pipeline().addLast(new ChatWebSocketHandler(fakes.services(), c));
        fakes.rooms.join(c);
        c.completeJoin(List.of());
        channels.add(ch);
        readAll(ch); // the (empty) history frame
        return ch;
    }

    static ChatIdentity user(String name, ChatRole role, String stream) {
        return new ChatIdentity(name, role, stream, Long.MAX_VALUE);
    }

    static List<JsonNode> readAll(EmbeddedChannel ch) {
        List<JsonNode> out = new ArrayList<>();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            WebSocketFrame f = (WebSocketFrame) o;
            if (f instanceof TextWebSocketFrame t) {
                try {
                    out.add(Json.MAPPER.readTree(t.text()));
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
            } else if (f instanceof CloseWebSocketFrame c) {
                out.add(Json.MAPPER.createObjectNode().put("type", "close").put("code", c.statusCode()).put("reason", c.reasonText()));
            }
            f.release();
        }
        return out;
    }

    static JsonNode only(EmbeddedChannel ch) {
        List<JsonNode> frames = readAll(ch);
        assertThat(frames).hasSize(1);
        return frames.get(0);
    }

    static TextWebSocketFrame text(String s) {
        return new TextWebSocketFrame(s);
    }

    static String send(String text) {
        return Json.toString(java.util.Map.of("type", "send", "text", text));
    }

    @AfterEach
    void noLeaks() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void acceptedSendIsPublishedWithIdentityRoleTimeAndOrigin() {
        EmbeddedChannel ch = socket(user("ann", ChatRole.VIEWER, null));
        ch.writeInbound(text(send("hello")));
        JsonNode ack = only(ch);
        assertThat(ack.path("type").asText()).isEqualTo("sent");
        var s = fakes.publisher.submitted.get(0);
        assertThat(s.messageId()).isEqualTo(ack.path("id").asText());
        assertThat(s.user()).isEqualTo("ann");
        assertThat(s.role()).isEqualTo("viewer");
        assertThat(s.receivedAt()).isEqualTo(fakes.clock.millis());
        assertThat(s.origin()).isEqualTo("gw1/c0");
    }

    @Test
    void framesOverTwoKibInvalidUtf8AndLongMessagesGetErrorFrames() {
        EmbeddedChannel ch = socket(user("ann", ChatRole.VIEWER, null));
        ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(new byte[2049])));
        assertThat(only(ch).path("code").asText()).isEqualTo("frame_too_large");
        ch.writeInbound(new TextWebSocketFrame(Unpooled.wrappedBuffer("{\"type\":\"send\",\"text\":\"\u00ff".getBytes(StandardCharsets.ISO_8859_1))));
        assertThat(only(ch).path("code").asText()).isEqualTo("invalid_utf8");
        ch.writeInbound(text(send("x".repeat(501))));
        assertThat(only(ch).path("code").asText()).isEqualTo("too_long");
        ch.writeInbound(text("not json"));
        assertThat(only(ch).path("code").asText()).isEqualTo("invalid");
        assertThat(fakes.publisher.submitted).isEmpty();
        ch.writeInbound(text(send("\u00e9".repeat(500)))); // 1000 bytes + JSON: under 2 KiB, exactly 500 characters
        assertThat(only(ch).path("type").asText()).isEqualTo("sent");
        assertThat(ch.isActive()).isTrue();
    }

    @Test
    void anonymousReadersCannotSendAndViewersCannotModerate() {
        EmbeddedChannel anon = socket(null);
        anon.writeInbound(text(send("hi")));
        assertThat(only(anon).path("code").asText()).isEqualTo("unauthenticated");
        EmbeddedChannel viewer = socket(user("bob", ChatRole.VIEWER, null));
        viewer.writeInbound(text("{\"type\":\"moderate\",\"action\":\"ban\",\"target\":\"ann\"}"));
        assertThat(only(viewer).path("code").asText()).isEqualTo("forbidden");
        EmbeddedChannel otherMod = socket(user("eve", ChatRole.MODERATOR, "s2"));
        otherMod.writeInbound(text("{\"type\":\"moderate\",\"action\":\"ban\",\"target\":\"ann\"}"));
        assertThat(only(otherMod).path("code").asText()).as("moderator of another stream").isEqualTo("forbidden");
        EmbeddedChannel broadcaster = socket(user("cat", ChatRole.BROADCASTER, "s1"));
        broadcaster.writeInbound(text("{\"type\":\"moderate\",\"action\":\"slow\",\"seconds\":2}"));
        assertThat(only(broadcaster).path("code").asText()).isEqualTo("invalid");
        broadcaster.writeInbound(text("{\"type\":\"moderate\",\"action\":\"timeout\",\"target\":\"ann\",\"seconds\":600}"));
        assertThat(only(broadcaster).path("type").asText()).isEqualTo("sent");
        ChatModeration m = fakes.publisher.moderated.get(0);
        assertThat(m.action()).isEqualTo("timeout");
        assertThat(m.seconds()).isEqualTo(600);
        assertThat(m.role()).isEqualTo("broadcaster");
        assertThat(fakes.publisher.moderated).hasSize(1);
        assertThat(fakes.publisher.submitted).isEmpty();
    }

    @Test
    void aFloodingConnectionIsCutBeforeKafka() {
        EmbeddedChannel ch = socket(user("ann", ChatRole.VIEWER, null));
        for (int i = 0; i < 30 && ch.isActive(); i++) ch.writeInbound(text(send("flood " + i)));
        List<JsonNode> frames = readAll(ch);
        assertThat(fakes.publisher.submitted).hasSize(10); // the burst
        JsonNode close = frames.get(frames.size() - 1);
        assertThat(close.path("type").asText()).isEqualTo("close");
        assertThat(close.path("code").asInt()).isEqualTo(1008);
        assertThat(close.path("reason").asText()).isEqualTo(ChatWebSocketHandler.FLOODING);
        assertThat(ch.isActive()).isFalse();

        EmbeddedChannel calm = socket(user("bob", ChatRole.VIEWER, null));
        for (int i = 0; i < 30; i++) {
            fakes.clock.advance(500); // 2 frames per second is the refill rate
            calm.writeInbound(text(send("calm " + i)));
        }
        assertThat(calm.isActive()).isTrue();
    }

    @Test
    void aSlowClientIsDroppedWithACloseReasonWhileOthersReceive() {
        EmbeddedChannel slow = socket(null);
        EmbeddedChannel fast = socket(null);
        slow.unsafe().outboundBuffer().setUserDefinedWritability(1, false); // the client stopped reading
        for (int i = 0; i < 20; i++) {
            fakes.rooms.dispatch(ChatEvent.message(new ChatAccepted(1, "s1", "m" + i, "ann", "viewer", "hi " + i, 0, null)));
        }
        assertThat(readAll(fast)).hasSize(20);
        List<JsonNode> slowFrames = readAll(slow);
        assertThat(slowFrames).hasSize(1);
        assertThat(slowFrames.get(0).path("reason").asText()).isEqualTo(ChatConnection.TOO_SLOW);
        assertThat(slow.isActive()).isFalse();
    }

    @Test
    void queuedFramesDrainWhenTheClientReadsAgain() {
        EmbeddedChannel ch = socket(null);
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        for (int i = 0; i < 5; i++) {
            fakes.rooms.dispatch(ChatEvent.message(new ChatAccepted(1, "s1", "m" + i, "ann", "viewer", "hi " + i, 0, null)));
        }
        assertThat(readAll(ch)).isEmpty();
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.runPendingTasks();
        assertThat(readAll(ch)).extracting(f -> f.path("message").path("messageId").asText()).containsExactly("m0", "m1", "m2", "m3", "m4");
    }

    @Test
    void joinSendsHistoryFirstThenLiveMessagesNotAlreadyInIt() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ChatConnection c = new ChatConnection("j", "s1", null, ch, 8);
        ch.pipeline().addLast(new ChatWebSocketHandler(fakes.services(), c));
        channels.add(ch);
        fakes.rooms.join(c);
        ChatAccepted m1 = new ChatAccepted(1, "s1", "m1", "ann", "viewer", "one", 0, null);
        ChatAccepted m2 = new ChatAccepted(1, "s1", "m2", "ann", "viewer", "two", 0, null);
        fakes.rooms.dispatch(ChatEvent.message(m2)); // arrives while the history is read, and is in it
        fakes.rooms.dispatch(ChatEvent.message(new ChatAccepted(1, "s1", "m3", "bob", "viewer", "three", 0, null)));
        assertThat(readAll(ch)).isEmpty();
        c.completeJoin(List.of(m1, m2));
        List<JsonNode> frames = readAll(ch);
        assertThat(frames).extracting(f -> f.path("type").asText()).containsExactly("history", "message");
        assertThat(frames.get(0).path("messages")).extracting(n -> n.path("messageId").asText()).containsExactly("m1", "m2");
        assertThat(frames.get(1).path("message").path("messageId").asText()).isEqualTo("m3");
    }

    @Test
    void refusalsGoOnlyToTheSenderOnThisGateway() {
        EmbeddedChannel sender = socket(user("ann", ChatRole.VIEWER, null));
        EmbeddedChannel other = socket(user("bob", ChatRole.VIEWER, null));
        fakes.rooms.dispatch(ChatEvent.rejected(ChatRejected.of("s1", "m1", "ann", ChatRejected.SLOW_MODE, "slow mode: wait 2 s", 2, 0, "gw1/c0")));
        fakes.rooms.dispatch(ChatEvent.rejected(ChatRejected.of("s1", "m2", "ann", ChatRejected.SLOW_MODE, "x", 2, 0, "gw2/c0")));
        JsonNode error = only(sender);
        assertThat(error.path("code").asText()).isEqualTo("slow_mode");
        assertThat(error.path("retryAfterSeconds").asInt()).isEqualTo(2);
        assertThat(error.path("id").asText()).isEqualTo("m1");
        assertThat(readAll(other)).isEmpty();
    }
}
