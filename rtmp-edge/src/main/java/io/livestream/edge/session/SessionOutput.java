package io.livestream.edge.session;

import io.livestream.edge.message.RtmpMessage;

/** Where a session's replies go: the connection in the server, a list in tests. */
public interface SessionOutput {
    void send(RtmpMessage message);

    /** Close the connection once what was sent has been flushed. */
    void close();
}
