package io.livestream.devstack.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay in front of a server that notes when its client connected: the publisher's own start (process, input
 * probe) takes longer on a machine busy with our pipeline than beside an idle nginx, and the ffmpeg program's {@code -re}
 * clock starts before it connects, so a figure counted from the connection leaves that start out for both servers.
 * The same relay is in front of both, each byte copied at once both ways (TCP_NODELAY).
 */
final class TimedRelay implements AutoCloseable {
    private final ServerSocket listener;
    private volatile long connectedAtMs;

    TimedRelay(int targetPort) throws IOException {
        listener = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(() -> {
            try {
                while (true) {
                    Socket client = listener.accept();
                    if (connectedAtMs == 0) connectedAtMs = System.currentTimeMillis();
                    Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    client.setTcpNoDelay(true);
                    server.setTcpNoDelay(true);
                    pump(client, server);
                    pump(server, client);
                }
            } catch (IOException closed) {
                // the relay is closed
            }
        }, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private static void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) out.write(buffer, 0, n);
            } catch (IOException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }, "relay-pump");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** When the first client connected, wall ms; 0 before. */
    long connectedAtMs() {
        return connectedAtMs;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
