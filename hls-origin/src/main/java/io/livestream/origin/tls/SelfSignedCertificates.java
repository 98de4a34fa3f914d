package io.livestream.origin.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed certificate for localhost (and 127.0.0.1), for the dev stack and tests: made once by the JDK's own
 * {@code keytool} (the JDK has no public API that writes certificates) and written as the PEM pair {@link TlsConfig}
 * reads. Browsers and players must be told to trust it (or to ignore certificate errors); production uses a real one.
 */
public final class SelfSignedCertificates {
    private static final String PASSWORD = "livestream-dev";

    private SelfSignedCertificates() {}

    /** The pair in {@code dir} ({@code localhost.crt}, {@code localhost.key}), made when missing. */
    public static TlsConfig inDirectory(Path dir, int port) throws IOException {
        Path cert = dir.resolve("localhost.crt");
        Path key = dir.resolve("localhost.key");
        if (!Files.exists(cert) || !Files.exists(key)) make(dir, cert, key);
        return new TlsConfig(port, cert, key);
    }

    private static void make(Path dir, Path cert, Path key) throws IOException {
        Files.createDirectories(dir);
        Path store = Files.createTempFile(dir, "localhost", ".p12");
        Files.delete(store); // keytool creates it
        try {
            run(keytool(), "-genkeypair", "-alias", "localhost", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "825",
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, PASSWORD.toCharArray());
            }
            Key privateKey = keyStore.getKey("localhost", PASSWORD.toCharArray());
            Certificate certificate = keyStore.getCertificate("localhost");
            Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()));
            // getEncoded() of a private key is its PKCS#8 form: what Netty's PEM reader takes
            Path partial = dir.resolve("localhost.key.tmp");
            Files.writeString(partial, pem("PRIVATE KEY", privateKey.getEncoded()));
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's permissions are what protect it
            }
            Files.move(partial, key, StandardCopyOption.REPLACE_EXISTING);
        } catch (GeneralSecurityException e) {
            throw new IOException("reading the keystore keytool wrote", e);
        } finally {
            Files.deleteIfExists(store);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** keytool beside the running java, else on the PATH. */
    private static String keytool() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "keytool");
        return Files.isExecutable(beside) ? beside.toString() : "keytool";
    }

    private static void run(String... command) throws IOException {
        List<String> line = new ArrayList<>(List.of(command));
        Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("keytool did not finish within 60 s");
            }
            if (process.exitValue() != 0) throw new IOException("keytool failed (" + process.exitValue() + "): " + output.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }
}
