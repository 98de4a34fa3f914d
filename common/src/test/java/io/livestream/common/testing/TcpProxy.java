package io.livestream.common.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on a free local port in front of a real server (Redis), for tests: it can hold every answer back by a
 * delay (a slow dependency) and counts round trips, a round trip being each time the client speaks again after the
 * server answered (so a pipeline of many commands is one, however the bytes are split into packets).
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final AtomicLong answerDelayMs = new AtomicLong();
    private final AtomicInteger roundTrips = new AtomicInteger();
    private volatile boolean running = true;

    public TcpProxy(String targetHost, int targetPort) {
        this.target = new InetSocketAddress(targetHost, targetPort);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accept = new Thread(this::acceptLoop, "tcp-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** From now on every chunk the server sends waits this long before it reaches the client. */
    public void delayAnswers(long ms) {
        answerDelayMs.set(ms);
    }

    public int roundTrips() {
        return roundTrips.get();
    }

    public void resetRoundTrips() {
        roundTrips.set(0);
    }

    private void acceptLoop() {
        while (running) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(target);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicBoolean counted = new AtomicBoolean(false);
                pump(client, server, () -> {
                    if (!counted.getAndSet(true)) roundTrips.incrementAndGet();
                }, 0);
                pump(server, client, () -> counted.set(false), -1);
            } catch (IOException e) {
                if (running) throw new UncheckedIOException(e);
            }
        }
    }

    /** Copies from → to; {@code onChunk} runs for each chunk read; delayMs -1 means "use the answer delay". */
    private void pump(Socket from, Socket to, Runnable onChunk, long delayMs) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    long delay = delayMs < 0 ? answerDelayMs.get() : delayMs;
                    if (delay > 0) Thread.sleep(delay);
                    onChunk.run();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
