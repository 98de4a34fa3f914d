package io.livestream.netguard;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** The lines a logger writes while a test runs (log4j2 is the tests' binding), so a test can count them. */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final AbstractAppender appender;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLog(Class<?> loggerOf) {
        this.logger = (Logger) LogManager.getLogger(loggerOf);
        this.appender = new AbstractAppender("captured-" + loggerOf.getSimpleName(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what the logger of {@code loggerOf} writes. */
    public static CapturedLog of(Class<?> loggerOf) {
        return new CapturedLog(loggerOf);
    }

    /** The lines written so far that contain {@code text}. */
    public List<String> containing(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeAppender(appender);
        appender.stop();
    }
}
