package io.livestream.origin.api;

/** A request the API refuses: becomes {@code {"error": message}} with the status. */
final class ApiException extends RuntimeException {
    final int status;

    ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
