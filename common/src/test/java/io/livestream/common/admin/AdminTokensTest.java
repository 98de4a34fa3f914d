package io.livestream.common.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.testing.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator token's start-up rules, against a real redis-server. */
class AdminTokensTest {
    @TempDir
    Path data;
    private AdminTokenStore store;

    @BeforeEach
    void newStore() {
        store = new AdminTokenStore(TestRedis.get().client(), "admin-" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }

    @Test
    void theFirstStartMakesATokenStoresItHashedAndWritesItOwnerOnly() throws Exception {
        Path file = data.resolve(AdminTokenFile.NAME);
        AdminTokens.Outcome first = AdminTokens.ensure(store, null, file);

        assertThat(first.created()).isTrue();
        String token = first.token().orElseThrow();
        assertThat(token).matches("lsa_[0-9a-f]{48}");
        assertThat(Files.readString(file).strip()).isEqualTo(token);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(store.check(token)).isTrue();
        assertThat(store.check("lsa_wrong")).isFalse();
        assertThat(store.check(null)).isFalse();

        AdminTokens.Outcome again = AdminTokens.ensure(store, null, file);
        assertThat(again.created()).as("shown once: a restart keeps it").isFalse();
        assertThat(again.token()).contains(token);
    }

    @Test
    void theEnvironmentOverridesAndTheOldTokenStops() {
        Path file = data.resolve(AdminTokenFile.NAME);
        String old = AdminTokens.ensure(store, null, file).token().orElseThrow();
        AdminTokens.Outcome fromEnv = AdminTokens.ensure(store, "my-operator-secret", file);
        assertThat(fromEnv.token()).contains("my-operator-secret");
        assertThat(store.check("my-operator-secret")).isTrue();
        assertThat(store.check(old)).isFalse();
        assertThat(AdminTokens.ensure(store, null, file).problem()).as("the file's token was replaced").contains("no longer accepts");
    }

    @Test
    void aSecondProcessOnTheSameRedisAcceptsTheSameTokenAndMakesNoOther() {
        String token = AdminTokens.ensure(store, null, data.resolve("one").resolve(AdminTokenFile.NAME)).token().orElseThrow();
        AdminTokens.Outcome other = AdminTokens.ensure(store, null, data.resolve("two").resolve(AdminTokenFile.NAME));
        assertThat(other.created()).isFalse();
        assertThat(other.token()).isEmpty();
        assertThat(store.check(token)).isTrue();
    }

    @Test
    void aWipedRedisTakesTheFilesTokenBack() {
        Path file = data.resolve(AdminTokenFile.NAME);
        AdminTokenFile.write(file, "lsa_kept");
        AdminTokens.Outcome outcome = AdminTokens.ensure(store, null, file);
        assertThat(outcome.created()).isFalse();
        assertThat(store.check("lsa_kept")).isTrue();
    }
}
