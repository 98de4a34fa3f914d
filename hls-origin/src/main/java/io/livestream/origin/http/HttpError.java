package io.livestream.origin.http;

/** A request a handler refuses: becomes {@code {"error": message}} with the status. Cheap: no stack trace. */
public final class HttpError extends RuntimeException {
    private final int status;

    public HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public Resource resource() {
        return Resource.error(status, getMessage());
    }
}
