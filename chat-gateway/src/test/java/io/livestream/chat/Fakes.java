package io.livestream.chat;

import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.auth.RoleLookup;
import io.livestream.chat.bus.ChatPublisher;
import io.livestream.chat.bus.ChatStore;
import io.livestream.chat.bus.PendingVerdicts;
import io.livestream.chat.room.ChatRooms;
import io.livestream.chat.server.ChatServices;
import io.livestream.common.audience.ViewerHeartbeat;
import io.livestream.common.chat.ChatAccepted;
import io.livestream.common.chat.ChatModeration;
import io.livestream.common.chat.ChatSubmitted;
import io.livestream.common.time.FakeClock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** In-memory stand-ins for Kafka and Redis, and services built on them with a fake clock and a same-thread executor. */
public final class Fakes {
    public static final String SECRET = "0123456789abcdef-test-secret";

    public static final class Publisher implements ChatPublisher {
        public final List<ChatSubmitted> submitted = new CopyOnWriteArrayList<>();
        public final List<ChatModeration> moderated = new CopyOnWriteArrayList<>();
        public final List<ViewerHeartbeat> heartbeats = new CopyOnWriteArrayList<>();
        public Consumer<ChatSubmitted> onSubmit = s -> {};

        @Override public void submit(ChatSubmitted m) { submitted.add(m); onSubmit.accept(m); }
        @Override public void moderate(ChatModeration a) { moderated.add(a); }
        @Override public void heartbeat(ViewerHeartbeat b) { heartbeats.add(b); }
    }

    public static final class Store implements ChatStore {
        public final List<ChatAccepted> history = new ArrayList<>();
        public final Map<String, String> viewers = new HashMap<>();

        @Override
        public List<ChatAccepted> recent(String streamId, int limit) {
            return List.copyOf(history.subList(Math.max(0, history.size() - limit), history.size()));
        }

        @Override public Map<String, String> viewers(String streamId) { return viewers; }
    }

    public static final class Roles implements RoleLookup {
        public final Map<String, String> keys = new HashMap<>();
        public final Map<String, String> moderators = new HashMap<>();
        /** broadcaster token -> stream */
        public final Map<String, String> broadcasterTokens = new HashMap<>();

        @Override public Optional<String> streamOfKey(String key) { return Optional.ofNullable(keys.get(key)); }
        @Override public boolean isModerator(String streamId, String user) { return streamId.equals(moderators.get(user)); }
        @Override public boolean isBroadcasterToken(String streamId, String token) { return streamId.equals(broadcasterTokens.get(token)); }
    }

    public final FakeClock clock = new FakeClock(1_700_000_000_000L);
    public final Publisher publisher = new Publisher();
    public final Store store = new Store();
    public final Roles roles = new Roles();
    public final ChatRooms rooms = new ChatRooms("gw1");
    public final PendingVerdicts verdicts = new PendingVerdicts();
    public final ChatTokens tokens = new ChatTokens(SECRET, clock);
    public final ChatGatewayConfig config = ChatGatewayConfig.defaults("unused:9092", "redis://unused", SECRET)
            .withOutboundQueueFrames(8).withFlood(10, 2.0);

    public ChatServices services() {
        return new ChatServices(config, rooms, tokens, roles, publisher, store, verdicts, Runnable::run, clock);
    }
}
