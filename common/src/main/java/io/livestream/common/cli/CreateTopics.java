package io.livestream.common.cli;

import io.livestream.common.kafka.TopicBootstrap;
import java.time.Duration;
import java.util.List;

/**
 * One-shot: creates the platform's topics (with their configs from {@link io.livestream.common.kafka.Topics}) when
 * missing, then exits 0. The compose file's {@code topics} service runs it before any producer or job starts:
 * {@code --bootstrap kafka:9092 --partitions 6 --timeout 120s}.
 */
public final class CreateTopics {
    public static void main(String[] args) {
        try {
            Flags flags = Flags.parse(args, System.getenv());
            String bootstrap = flags.get("bootstrap", "localhost:9092");
            int partitions = flags.integer("partitions", 6);
            Duration timeout = flags.duration("timeout", Duration.ofMinutes(2));
            flags.rejectUnknown();
            List<String> created = TopicBootstrap.ensureTopics(bootstrap, partitions, timeout);
            System.out.println("topics ready on " + bootstrap + (created.isEmpty() ? " (all existed)" : "; created " + created));
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
