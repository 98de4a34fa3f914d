package io.livestream.edge.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampUnwrapperTest {
    @Test
    void continuesPastThe32BitWrap() {
        TimestampUnwrapper u = new TimestampUnwrapper();
        assertThat(u.unwrap(0xFFFFFF00L)).isEqualTo(0xFFFFFF00L);
        assertThat(u.unwrap(0xFFFFFFF0L)).isEqualTo(0xFFFFFFF0L);
        assertThat(u.unwrap(0x10L)).isEqualTo(0x1_0000_0010L);
        assertThat(u.unwrap(0xFFFFFFF8L)).as("a late tag from before the wrap").isEqualTo(0xFFFFFFF8L);
        assertThat(u.unwrap(0x30L)).isEqualTo(0x1_0000_0030L);
    }

    @Test
    void smallStepsBackAreJitterNotWraps() {
        TimestampUnwrapper u = new TimestampUnwrapper();
        assertThat(u.unwrap(1000)).isEqualTo(1000);
        assertThat(u.unwrap(990)).isEqualTo(990);
        assertThat(u.unwrap(1033)).isEqualTo(1033);
    }
}
