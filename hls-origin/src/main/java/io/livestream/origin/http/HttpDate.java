package io.livestream.origin.http;

import io.netty.handler.codec.DateFormatter;
import io.netty.util.AsciiString;
import java.util.Date;

/** The Date header's value (RFC 9110 6.6.1, a resolution of one second): formatted once a second, not once an answer. */
final class HttpDate {
    private record Formatted(long second, AsciiString value) {}

    private static volatile Formatted last = new Formatted(-1, AsciiString.EMPTY_STRING);

    static AsciiString now() {
        long second = System.currentTimeMillis() / 1000;
        Formatted f = last;
        if (f.second() != second) {
            f = new Formatted(second, new AsciiString(DateFormatter.format(new Date(second * 1000))));
            last = f; // two threads may both format at the turn of a second; either value is right
        }
        return f.value();
    }

    private HttpDate() {}
}
