package io.livestream.common.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CloserTest {
    @Test
    void closesInReverseOrderAndGoesOnAfterAFailure() {
        List<String> closed = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        Closer closer = new Closer(failures::add);
        closer.add(() -> closed.add("first"));
        closer.add(() -> {
            throw new IllegalStateException("second failed");
        });
        assertThat(closer.add((AutoCloseable) () -> closed.add("third"))).isNotNull();
        closer.close();
        assertThat(closed).containsExactly("third", "first");
        assertThat(failures).singleElement().satisfies(e -> assertThat(e).hasMessage("second failed"));
        closer.close(); // nothing left: closing again does nothing
        assertThat(closed).hasSize(2);
    }
}
