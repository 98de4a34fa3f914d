package io.livestream.edge.amf0;

/** An AMF0 XML document (a long string kept apart from ordinary strings). */
public record Amf0XmlDocument(String xml) {}
