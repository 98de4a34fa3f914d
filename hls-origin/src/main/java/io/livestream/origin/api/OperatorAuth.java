package io.livestream.origin.api;

import io.livestream.common.admin.AdminTokenStore;
import io.livestream.origin.http.HttpError;
import io.livestream.origin.http.OriginRequest;

/**
 * The operator token check ({@code Authorization: Bearer <data/admin.token>}): 401 without a token, 403 with a wrong
 * one. Reads the token's hash from Redis on every call, so a replaced token takes effect on every origin at once.
 * Blocking.
 */
final class OperatorAuth {
    static final String MISSING = "operator token required (Authorization: Bearer <token from data/admin.token>)";
    static final String WRONG = "wrong operator token";

    private final AdminTokenStore tokens;

    OperatorAuth(AdminTokenStore tokens) {
        this.tokens = tokens;
    }

    void require(OriginRequest request) {
        String token = request.bearerToken().orElse(null);
        if (token == null) throw new HttpError(401, MISSING);
        if (!tokens.check(token)) throw new HttpError(403, WRONG);
    }

    /** Whether the request carries the operator token (for routes a broadcaster's token also opens). */
    boolean isOperator(OriginRequest request) {
        return request.bearerToken().map(tokens::check).orElse(false);
    }
}
