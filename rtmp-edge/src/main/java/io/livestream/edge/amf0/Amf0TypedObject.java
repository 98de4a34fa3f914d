package io.livestream.edge.amf0;

import java.util.Map;

/** An AMF0 typed object: a class name and its properties. */
public record Amf0TypedObject(String className, Map<String, Object> properties) {}
