package io.livestream.common.cli;

import io.livestream.common.kafka.TopicBootstrap;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One-shot: creates the platform's topics (with their configs from {@link io.livestream.common.kafka.Topics}) when
 * missing, then exits 0. The compose file's {@code topics} service runs it before any producer or job starts:
 * {@code --bootstrap kafka-1:9092,kafka-2:9092,kafka-3:9092 --partitions 6 --replication-factor 3 --timeout 120s}.
 * Without {@code --replication-factor} the brokers' {@code default.replication.factor} applies.
 */
public final class CreateTopics {
    /** What the flags ask for. */
    public record Settings(String bootstrap, int partitions, Optional<Short> replicationFactor, Duration timeout) {
        public static Settings fromFlags(Flags flags) {
            String bootstrap = flags.get("bootstrap", "localhost:9092");
            int partitions = flags.integer("partitions", 6);
            int replicationFactor = flags.integer("replication-factor", 0);
            if (replicationFactor < 0 || replicationFactor > Short.MAX_VALUE) {
                throw new IllegalArgumentException("--replication-factor must be a positive number, got " + replicationFactor);
            }
            Duration timeout = flags.duration("timeout", Duration.ofMinutes(2));
            flags.rejectUnknown();
            return new Settings(bootstrap, partitions,
                    replicationFactor == 0 ? Optional.empty() : Optional.of((short) replicationFactor), timeout);
        }
    }

    public static void main(String[] args) {
        try {
            Settings settings = Settings.fromFlags(Flags.parse(args, System.getenv()));
            List<String> created = TopicBootstrap.ensureTopics(settings.bootstrap(), settings.partitions(),
                    settings.replicationFactor(), settings.timeout());
            System.out.println("topics ready on " + settings.bootstrap() + (created.isEmpty() ? " (all existed)" : "; created " + created));
        } catch (IllegalArgumentException e) {
            System.err.println("create-topics: " + e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            System.err.println("create-topics failed: " + e);
            System.exit(1);
        }
    }

    private CreateTopics() {}
}
