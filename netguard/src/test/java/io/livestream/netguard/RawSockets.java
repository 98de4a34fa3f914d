package io.livestream.netguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Plain sockets for the hostile-network tests, with a bit of HTTP/1.1: a socket picks its source address (127.0.0.2 is another
 * client than 127.0.0.1 to a per-address limit), sends exactly the bytes a test wants, and tells a close from silence.
 */
public final class RawSockets {
    private RawSockets() {}

    /** A response: status code, headers as text, body. */
    public record Response(int status, String head, String body) {}

    /** A socket from {@code fromAddress} (any 127.x.y.z on Linux) to 127.0.0.1:{@code port}. */
    public static Socket connect(String fromAddress, int port) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(fromAddress, 0));
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** GET {@code path} on a connection kept alive, and its response (read by Content-Length). */
    public static Response get(Socket socket, String path) throws IOException {
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return read(socket.getInputStream());
    }

    /** One GET from {@code fromAddress} on a new connection. */
    public static Response getOnce(String fromAddress, int port, String path) throws IOException {
        try (Socket s = connect(fromAddress, port)) {
            return get(s, path);
        }
    }

    /** Reads one response: the head up to the blank line, then Content-Length bytes. */
    public static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before a response head: " + head);
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
        }
        byte[] body = in.readNBytes(length);
        return new Response(status, text, new String(body, StandardCharsets.UTF_8));
    }

    /**
     * Waits until the server closes {@code socket} (end of stream or a reset), reading and dropping whatever it sends;
     * fails if it is still open {@code boundMs} after {@code sinceMs}.
     */
    public static void assertClosedWithin(Socket socket, long sinceMs, long boundMs) throws IOException {
        long left = boundMs - (System.currentTimeMillis() - sinceMs);
        if (left <= 0) throw new AssertionError("past the bound before waiting");
        socket.setSoTimeout((int) left);
        try {
            while (socket.getInputStream().read() >= 0) { }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("still open " + (System.currentTimeMillis() - sinceMs) + " ms after " + sinceMs + ", bound " + boundMs + " ms", e);
        } catch (IOException reset) {
            // closed with bytes unread: a reset, still a close
        }
        long took = System.currentTimeMillis() - sinceMs;
        if (took >= boundMs) throw new AssertionError("closed only after " + took + " ms, bound " + boundMs + " ms");
    }

    /** Whether the server has closed {@code socket}: end of stream within 100 ms; silence means open. */
    public static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(100);
            while (true) {
                int b = socket.getInputStream().read();
                if (b == -1) return true;
                if (socket.getInputStream().available() == 0) return false;
            }
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** A daemon thread writing {@code prefix}, then one byte of {@code drip} every {@code everyMs} until closed or interrupted. */
    public static Thread drip(Socket socket, byte[] prefix, byte[] drip, long everyMs) {
        Thread t = new Thread(() -> {
            try {
                socket.getOutputStream().write(prefix);
                for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                    Thread.sleep(everyMs);
                    socket.getOutputStream().write(drip[i % drip.length]);
                }
            } catch (IOException | InterruptedException done) {
                // the server closed it, or the test is over
            }
        }, "drip");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
