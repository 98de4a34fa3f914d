package io.livestream.edge.server;

/** The peer's acknowledgement window filled: tell it how many bytes have arrived so far. */
record AcknowledgementDue(long bytesReceived) {}
