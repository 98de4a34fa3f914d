package io.livestream.devstack.cluster;

import io.livestream.common.admin.AdminTokenFile;
import io.livestream.common.admin.AdminTokenStore;
import io.livestream.common.admin.AdminTokens;
import io.livestream.common.registry.StreamRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import redis.clients.jedis.RedisClient;

/**
 * The cluster's secrets: the chat tokens' HMAC key that both gateways share (CHAT_TOKEN_SECRET, else one made once and
 * kept in the data dir) and the operator token both origins accept (its hash in the shared Redis; {@link AdminTokens}).
 */
final class ClusterSecrets {
    private ClusterSecrets() {}

    static String chatTokenSecret(Path dataDir) throws IOException {
        String fromEnv = System.getenv("CHAT_TOKEN_SECRET");
        if (fromEnv != null && !fromEnv.isBlank()) return fromEnv;
        Path file = dataDir.resolve("chat-token-secret");
        if (!Files.exists(file)) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            Files.writeString(file, HexFormat.of().formatHex(random));
            ownerOnly(file);
        }
        return Files.readString(file).trim();
    }

    static Path adminTokenFile(Path dataDir) {
        return dataDir.resolve(AdminTokenFile.NAME);
    }

    /** The operator token: LIVESTREAM_ADMIN_TOKEN, else the one in {@code <dataDir>/admin.token}, else a new one written there. */
    static AdminTokens.Outcome adminToken(Path dataDir) {
        try (RedisClient redis = RedisClient.create(URI.create(ClusterLayout.redisUri()))) {
            return AdminTokens.ensure(new AdminTokenStore(redis, StreamRegistry.DEFAULT_KEY_PREFIX), System.getenv(AdminTokens.ENV),
                    adminTokenFile(dataDir));
        }
    }

    static void ownerOnly(Path file) {
        file.toFile().setReadable(false, false);
        file.toFile().setReadable(true, true);
    }
}
