package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityTagsTest {
    @Test
    void matchesListsWildcardAndWeakTags() {
        assertThat(EntityTags.noneMatchFails("\"abc\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.noneMatchFails("\"x\", \"abc\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.noneMatchFails("W/\"abc\"", "\"abc\"")).isTrue();
        assertThat(EntityTags.noneMatchFails("*", "\"abc\"")).isTrue();
        assertThat(EntityTags.noneMatchFails("\"abd\"", "\"abc\"")).isFalse();
        assertThat(EntityTags.noneMatchFails(null, "\"abc\"")).isFalse();
        assertThat(EntityTags.noneMatchFails("\"abc\"", null)).isFalse();
    }
}
