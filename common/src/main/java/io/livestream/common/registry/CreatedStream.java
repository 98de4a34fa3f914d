package io.livestream.common.registry;

/**
 * The result of creating a stream: the only time the stream key is ever available in clear text.
 * {@link #toString()} hides the key so that logging this object does not leak it.
 */
public record CreatedStream(StreamInfo stream, String streamKey) {
    @Override
    public String toString() {
        return "CreatedStream[stream=" + stream + ", streamKey=<hidden>]";
    }
}
