package io.livestream.origin.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * HTTPS on its own port, beside plain HTTP: a PEM certificate chain and its PKCS#8 PEM private key (what ACME
 * clients such as certbot write). HTTP/2 is offered by ALPN, HTTP/1.1 stays for clients without it. Apple's players
 * need HTTPS (and prefer HTTP/2) for low-latency HLS.
 */
public record TlsConfig(int port, Path certificateChain, Path privateKey) {
    public static final int DEFAULT_PORT = 8443;

    public TlsConfig {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad HTTPS port " + port);
        if (!Files.isReadable(certificateChain)) throw new IllegalArgumentException("TLS certificate not readable: " + certificateChain);
        if (!Files.isReadable(privateKey)) throw new IllegalArgumentException("TLS private key not readable: " + privateKey);
    }

    public TlsConfig withPort(int newPort) {
        return new TlsConfig(newPort, certificateChain, privateKey);
    }
}
