package io.livestream.common.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StreamKeysTest {
    @Test
    void streamKeyIsLivePrefixAnd32LowercaseHexCharacters() {
        String key = StreamKeys.newStreamKey();
        assertThat(key).matches("live_[0-9a-f]{32}");
        assertThat(StreamKeys.isWellFormed(key)).isTrue();
    }

    @Test
    void keysAndIdsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(seen.add(StreamKeys.newStreamKey())).isTrue();
            assertThat(seen.add(StreamKeys.newStreamId())).isTrue();
        }
    }

    @Test
    void idsAreShortAndUrlSafe() {
        assertThat(StreamKeys.newStreamId()).matches("[0-9a-z]{12}");
        assertThat(StreamKeys.newSessionId()).matches("[0-9a-z]{16}");
    }

    @Test
    void malformedKeysAreRecognised() {
        assertThat(StreamKeys.isWellFormed(null)).isFalse();
        assertThat(StreamKeys.isWellFormed("live_")).isFalse();
        assertThat(StreamKeys.isWellFormed("live_0123456789ABCDEF0123456789abcdef")).isFalse();
        assertThat(StreamKeys.isWellFormed("live_0123456789abcdef0123456789abcdef0")).isFalse();
        assertThat(StreamKeys.isWellFormed("test_0123456789abcdef0123456789abcdef")).isFalse();
    }

    @Test
    void hashIsSha256HexOfTheKey() {
        // echo -n abc | sha256sum
        assertThat(StreamKeys.hash("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void hashesCompareByContent() {
        String h = StreamKeys.hash("live_0123456789abcdef0123456789abcdef");
        assertThat(StreamKeys.hashesEqual(h, new String(h.toCharArray()))).isTrue();
        assertThat(StreamKeys.hashesEqual(h, StreamKeys.hash("other"))).isFalse();
        assertThat(StreamKeys.hashesEqual(h, null)).isFalse();
    }
}
