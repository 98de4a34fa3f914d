package io.livestream.edge.amf0;

import java.util.Map;

/** An AMF0 ECMA array: named entries with an associative count (onMetaData uses it). */
public record Amf0EcmaArray(Map<String, Object> entries) {}
