package io.livestream.edge.server;

/** C0+C1 as the decoder read them; the handler answers with S0+S1+S2. */
record HandshakeRequest(byte[] c0c1) {}
