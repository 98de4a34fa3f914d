package io.livestream.origin.tls;

import static io.livestream.origin.store.TestRecords.part;
import static io.livestream.origin.store.TestRecords.segment;
import static io.livestream.origin.store.TestRecords.segmentOfParts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.origin.http.OriginConfig;
import io.livestream.origin.http.OriginServer;
import io.livestream.origin.store.SegmentStore;
import io.livestream.origin.store.StoreConfig;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The origin's HTTPS port with a self-signed certificate: HTTP/2 by ALPN, HTTP/1.1 for the rest, the same answers. */
public class OriginTlsTest {
    @TempDir
    static Path dir;
    private static final SegmentStore STORE = new SegmentStore(StoreConfig.DEFAULTS.withWindowSize(12));
    private static OriginServer server;
    private static URI https;
    private static SSLContext trusting;

    @BeforeAll
    static void start() throws Exception {
        for (long seq = 0; seq < 3; seq++) STORE.onMediaRecord(segment("plain", "a", "720p", seq, 2.0, 4000));
        for (int i = 0; i < 4; i++) STORE.onMediaRecord(part("ll", "a", "720p", 0, i, 0.25, 188));
        STORE.onMediaRecord(segmentOfParts("ll", "a", "720p", 0, 4, 0.25));
        STORE.onMediaRecord(part("ll", "a", "720p", 1, 0, 0.25, 188));
        TlsConfig tls = SelfSignedCertificates.inDirectory(dir.resolve("tls"), 0);
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), STORE).withTls(tls);
        server.start();
        https = URI.create("https://127.0.0.1:" + server.httpsPort()); // the certificate names 127.0.0.1 too
        trusting = trusting(tls.certificateChain());
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
    }

    /** A TLS context trusting only {@code certificate} (the self-signed one). */
    public static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("origin", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder().sslContext(trusting).version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void http2ClientsGetHttp2AndTheSameAnswersAsOverPlainHttp() throws Exception {
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        HttpResponse<String> playlist = h2.send(HttpRequest.newBuilder(https.resolve("/live/plain/ts/720p/index.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(playlist.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(playlist.statusCode()).isEqualTo(200);
        assertThat(playlist.headers().firstValue("content-type")).hasValue("application/vnd.apple.mpegurl");
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/live/plain/ts/720p/index.m3u8")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(playlist.body()).isEqualTo(plain.body());

        HttpResponse<byte[]> media = h2.send(HttpRequest.newBuilder(https.resolve("/live/plain/ts/720p/1.ts")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(media.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(media.body()).isEqualTo(segment("plain", "a", "720p", 1, 2.0, 4000).payload());
        // the headers a connection-oriented HTTP/1.1 answer carries are not sent in HTTP/2 (RFC 9113 8.2.2)
        assertThat(media.headers().firstValue("connection")).isEmpty();

        HttpResponse<String> missing = h2.send(HttpRequest.newBuilder(https.resolve("/live/nope/master.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("unknown stream");
    }

    @Test
    void http11ClientsAreServedOnTheSamePort() throws Exception {
        HttpResponse<String> r = client(HttpClient.Version.HTTP_1_1).send(HttpRequest.newBuilder(https.resolve("/live/plain/ts/720p/index.m3u8")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("#EXTM3U");
    }

    @Test
    void aHeldLowLatencyReloadDoesNotHoldUpOtherStreamsOfTheConnection() throws Exception {
        HttpClient h2 = client(HttpClient.Version.HTTP_2);
        // one connection: the first request opens it, the others are streams on it
        assertThat(h2.send(HttpRequest.newBuilder(https.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString()).version())
                .isEqualTo(HttpClient.Version.HTTP_2);
        CompletableFuture<HttpResponse<String>> held = h2.sendAsync(HttpRequest.newBuilder(
                https.resolve("/live/ll/ts/720p/index.m3u8?_HLS_msn=1&_HLS_part=1")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        assertThat(held).isNotDone();
        HttpResponse<byte[]> meanwhile = h2.send(HttpRequest.newBuilder(https.resolve("/live/ll/ts/720p/1.0.ts")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(meanwhile.statusCode()).isEqualTo(200);
        assertThat(held).as("still held after the other stream was answered").isNotDone();

        STORE.onMediaRecord(part("ll", "a", "720p", 1, 1, 0.25, 188));
        HttpResponse<String> answered = held.get(5, TimeUnit.SECONDS);
        assertThat(answered.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answered.body()).contains("URI=\"1.1.ts\"");
    }

    @Test
    void theSelfSignedPairIsMadeOnceAndItsKeyIsPrivate() throws Exception {
        TlsConfig again = SelfSignedCertificates.inDirectory(dir.resolve("tls"), 0);
        assertThat(Files.readString(again.certificateChain())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(again.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(again.privateKey()))).isEqualTo("rw-------");
    }

    @Test
    void aCertificateThatCannotBeReadIsAClearErrorAtStart() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.pem"), "not a certificate");
        OriginServer broken = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), new SegmentStore())
                .withTls(new TlsConfig(0, bad, bad));
        assertThatThrownBy(broken::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("bad.pem");
    }
}
