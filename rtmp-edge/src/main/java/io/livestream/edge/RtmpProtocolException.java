package io.livestream.edge;

/** The peer broke the protocol (or a limit): the connection it came on is closed, nothing else is affected. */
public class RtmpProtocolException extends RuntimeException {
    public RtmpProtocolException(String message) {
        super(message);
    }
}
