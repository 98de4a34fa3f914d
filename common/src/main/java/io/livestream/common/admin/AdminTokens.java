package io.livestream.common.admin;

import io.livestream.common.registry.StreamKeys;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a starting platform does about the operator token, decided once at start:
 * <ol>
 *   <li>{@value #ENV} set: that token is the operator token (it replaces any other in Redis); no file is written.
 *   <li>the token file holds a token: it is kept; Redis gets its hash if Redis has none (say, Redis was wiped).
 *   <li>neither, and Redis has no token: a new one is made, stored hashed, written to the file and shown this once.
 *   <li>neither, but Redis has one: it was made elsewhere (another origin, another machine); nothing changes.
 * </ol>
 * A token file whose token Redis does not accept (the token was replaced meanwhile) is reported, not overwritten.
 */
public final class AdminTokens {
    public static final String ENV = "LIVESTREAM_ADMIN_TOKEN";

    /**
     * @param token the operator token in clear, when this process knows it (from the environment, the file or just made)
     * @param created whether this call made it (then it must be shown to the operator this once)
     * @param problem why the file's token will not be accepted, or null
     */
    public record Outcome(Optional<String> token, boolean created, String source, String problem) {}

    private AdminTokens() {}

    /** @param file where the token is kept for the CLI (data/admin.token); null keeps no file */
    public static Outcome ensure(AdminTokenStore store, String fromEnvironment, Path file) {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            store.replace(fromEnvironment.strip());
            return new Outcome(Optional.of(fromEnvironment.strip()), false, ENV, null);
        }
        Optional<String> saved = file == null ? Optional.empty() : AdminTokenFile.read(file);
        if (saved.isPresent()) {
            if (store.setIfAbsent(saved.get()) || store.check(saved.get())) return new Outcome(saved, false, file.toString(), null);
            return new Outcome(Optional.empty(), false, "redis",
                    file + " holds a token the platform no longer accepts (replaced since); set " + ENV + " or delete the file and the key to make a new one");
        }
        String token = StreamKeys.newAdminToken();
        if (!store.setIfAbsent(token)) return new Outcome(Optional.empty(), false, "redis", null);
        if (file != null) AdminTokenFile.write(file, token);
        return new Outcome(Optional.of(token), true, file == null ? "new" : file.toString(), null);
    }
}
