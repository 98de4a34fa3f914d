package io.livestream.edge.amf0;

/** An AMF0 date: ms since the epoch and a time zone field that the spec says to write as 0. */
public record Amf0Date(double epochMillis, short timeZone) {}
