package io.livestream.origin.http;

/**
 * A single byte range of a Range header (RFC 9110 14.1.2) resolved against a representation's length.
 * Multiple ranges and unparseable headers are ignored (the full representation is served, which the RFC allows).
 */
public sealed interface ByteRange {
    /** Serve the whole representation with 200. */
    record Whole() implements ByteRange {}

    /** Serve {@code [first, last]} (inclusive) with 206. */
    record Part(long first, long last) implements ByteRange {
        public long length() { return last - first + 1; }
    }

    /** 416: no byte of the range exists. */
    record Unsatisfiable() implements ByteRange {}

    static ByteRange parse(String header, long length) {
        if (header == null) return new Whole();
        String h = header.trim();
        if (!h.regionMatches(true, 0, "bytes=", 0, 6)) return new Whole();
        String spec = h.substring(6).trim();
        if (spec.indexOf(',') >= 0) return new Whole();
        int dash = spec.indexOf('-');
        if (dash < 0) return new Whole();
        String from = spec.substring(0, dash).trim();
        String to = spec.substring(dash + 1).trim();
        try {
            if (from.isEmpty()) { // suffix: the last N bytes
                if (to.isEmpty()) return new Whole();
                long n = parseDigits(to);
                if (n == 0 || length == 0) return new Unsatisfiable();
                return new Part(Math.max(0, length - n), length - 1);
            }
            long first = parseDigits(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : parseDigits(to);
            if (last < first) return new Whole(); // syntactically invalid: ignore the header
            if (first >= length) return new Unsatisfiable();
            return new Part(first, Math.min(last, length - 1));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }

    private static long parseDigits(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) throw new NumberFormatException(s);
        return Long.parseLong(s);
    }
}
