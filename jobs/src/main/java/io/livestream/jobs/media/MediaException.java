package io.livestream.jobs.media;

/** A native media call failed: the stream's session is unusable and must be closed. */
public class MediaException extends RuntimeException {
    public MediaException(String message) {
        super(message);
    }
}
