package io.livestream.devstack.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port helpers for servers that must know their port before they bind (Kafka's controller quorum does). */
public final class FreePorts {
    private FreePorts() {}

    /** A port that was free a moment ago; {@code requested} itself when it is not 0. */
    public static int pick(int requested) {
        if (requested != 0) return requested;
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }

    /** Whether something accepts TCP connections at host:port within {@code timeoutMillis}. */
    public static boolean isListening(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
