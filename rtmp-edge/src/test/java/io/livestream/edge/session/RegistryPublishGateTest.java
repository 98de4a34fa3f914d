package io.livestream.edge.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.registry.CreatedStream;
import io.livestream.common.registry.InMemoryStreamEventPublisher;
import io.livestream.common.registry.StreamRegistry;
import io.livestream.common.testing.TestRedis;
import io.livestream.common.time.Clock;
import io.livestream.common.time.FakeClock;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RegistryPublishGateTest {
    @Test
    void aSecondLiveStreamOfABroadcasterAtItsQuotaIsOverQuotaNotABadKey() {
        StreamRegistry registry = new StreamRegistry(TestRedis.get().client(), new InMemoryStreamEventPublisher(), Clock.SYSTEM,
                "gate-" + UUID.randomUUID().toString().substring(0, 8) + ":");
        CreatedStream one = registry.create("one", "ann", null);
        CreatedStream two = registry.create("two", "ann", null);
        RegistryPublishGate gate = new RegistryPublishGate(registry, "live", 1);

        assertThat(gate.begin("live", one.streamKey(), "r")).isInstanceOf(PublishDecision.Accepted.class);
        assertThat(gate.begin("live", two.streamKey(), "r"))
                .isEqualTo(new PublishDecision.OverQuota("broadcaster ann has 1 live streams, the most allowed"));
        assertThat(gate.begin("live", "live_00000000000000000000000000000000", "r")).isInstanceOf(PublishDecision.Refused.class);
    }

    @Test
    void edgeReasonsMapToTheRegistrysEndReasons() {
        assertThat(RegistryPublishGate.registryReason("FCUnpublish")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("deleteStream")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("closeStream")).isEqualTo("unpublish");
        assertThat(RegistryPublishGate.registryReason("api")).isEqualTo("api");
        assertThat(RegistryPublishGate.registryReason("timeout")).isEqualTo("timeout");
        assertThat(RegistryPublishGate.registryReason("closed by the edge")).isEqualTo("disconnect");
    }

    @Test
    void twoEdgesOneDiesWithoutAWordItsPublisherContinuesTheSessionOnTheOtherOnceItsHoldLapses() {
        FakeClock clock = new FakeClock(1_800_000_000_000L);
        StreamRegistry registry = new StreamRegistry(TestRedis.get().client(), new InMemoryStreamEventPublisher(), clock,
                "gate-" + UUID.randomUUID().toString().substring(0, 8) + ":");
        CreatedStream stream = registry.create("show", "ann", null);
        RegistryPublishGate dying = new RegistryPublishGate(registry, "live");
        RegistryPublishGate other = new RegistryPublishGate(registry, "live");
        PublishDecision.Accepted first = (PublishDecision.Accepted) dying.begin("live", stream.streamKey(), "r");

        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS - 500);
        dying.renewHolds(); // alive: a second encoder on the same key is refused
        clock.advance(1_000);
        assertThat(other.begin("live", stream.streamKey(), "r")).isInstanceOf(PublishDecision.Refused.class);

        // SIGKILL: no end(), no more renewals; OBS reconnects through the balancer to the other edge
        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS);
        assertThat(other.begin("live", stream.streamKey(), "r")).isEqualTo(first);
        other.renewHolds();
        clock.advance(StreamRegistry.PUBLISHER_HOLD_MS - 1);
        assertThat(dying.begin("live", stream.streamKey(), "r")).as("the other edge renews it now").isInstanceOf(PublishDecision.Refused.class);
    }
}
