package io.livestream.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistryPublishGateTest {
    @Test
    void edgeReasonsMapToTheRegistrysEndReasons() {
        assertThat(RegistryPublishGate.registryReason("FCUnpublish")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("deleteStream")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("closeStream")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("api")).isEqualTo("api");
        assertThat(RegistryPublishGate.registryReason("timeout")).isEqualTo("timeout");
        assertThat(RegistryPublishGate.registryReason("closed by the edge")).isEqualTo("disconnect");
    }
}
