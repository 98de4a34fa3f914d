package io.livestream.origin.api;

import io.livestream.common.registry.StreamInfo;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;

/**
 * The registry look-ups every stream handler starts with: the stream (404) and its broadcaster's token (401; the
 * operator token opens every stream's broadcaster actions too). Blocking.
 */
final class StreamAccess {
    private final StreamRegistry registry;
    private final OperatorAuth operator;

    StreamAccess(StreamRegistry registry, OperatorAuth operator) {
        this.registry = registry;
        this.operator = operator;
    }

    StreamInfo stream(String id) {
        return registry.get(id).orElseThrow(() -> new HttpError(404, "unknown stream"));
    }

    void authorizeBroadcaster(String id, OriginRequest request) {
        String token = request.bearerToken().orElse(null);
        if (token == null || !(registry.checkBroadcasterToken(id, token) || operator.isOperator(request))) throw new HttpError(401, "missing or wrong broadcaster token");
    }

    boolean reconnecting(StreamInfo info) {
        return info.isLive() && registry.disconnectedSince(info.id()).isPresent();
    }
}
