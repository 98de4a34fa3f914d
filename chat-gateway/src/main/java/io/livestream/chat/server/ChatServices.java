package io.livestream.chat.server;

import io.livestream.chat.ChatGatewayConfig;
import io.livestream.chat.auth.ChatTokens;
import io.livestream.chat.auth.RoleLookup;
import io.livestream.chat.bus.ChatPublisher;
import io.livestream.chat.bus.ChatStore;
import io.livestream.chat.bus.PendingVerdicts;
import io.livestream.chat.room.ChatRooms;
import io.livestream.common.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the handlers use, behind small interfaces so that tests give fakes. {@code blocking} runs Redis reads and
 * waits; when it is full it throws RejectedExecutionException and the handler answers 503 (a
 * {@link io.livestream.common.concurrent.BoundedExecutor} in production).
 */
public record ChatServices(ChatGatewayConfig config, ChatRooms rooms, ChatTokens tokens, RoleLookup roles,
                           ChatPublisher publisher, ChatStore store, PendingVerdicts verdicts, Executor blocking, Clock clock) {}
