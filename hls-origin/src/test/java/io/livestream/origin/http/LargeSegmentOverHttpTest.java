package io.livestream.origin.http;

import static io.livestream.origin.store.TestRecords.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.livestream.common.media.MediaRecord;
import io.livestream.origin.store.SegmentStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Segments big enough to go from {@link FileBodies} (sendfile where the OS has /dev/shm): whole, ranges and HEAD, over real HTTP. */
class LargeSegmentOverHttpTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final SegmentStore store = new SegmentStore();
    private OriginServer server;
    private URI base;
    private byte[] bytes;

    @BeforeEach
    void start() throws Exception {
        MediaRecord record = segment("big", "a", "720p", 0, 2.0, FileBodies.MIN_BYTES * 2 + 1);
        bytes = record.payload();
        store.onMediaRecord(record);
        server = new OriginServer(OriginConfig.DEFAULTS.withHost("127.0.0.1").withPort(0), store);
        base = URI.create("http://127.0.0.1:" + server.start() + "/live/big/ts/720p/");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aWholeSegmentIsItsBytesAnswerAfterAnswer() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<byte[]> answer = get(HttpRequest.newBuilder(base.resolve("0.ts")));
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValueAsLong("content-length")).hasValue(bytes.length);
            assertThat(answer.body()).isEqualTo(bytes);
        }
    }

    @Test
    void aRangeIsThoseBytes() throws Exception {
        HttpResponse<byte[]> answer = get(HttpRequest.newBuilder(base.resolve("0.ts")).header("Range", "bytes=1000-300999"));
        assertThat(answer.statusCode()).isEqualTo(206);
        assertThat(answer.headers().firstValue("content-range")).hasValue("bytes 1000-300999/" + bytes.length);
        assertThat(answer.body()).isEqualTo(Arrays.copyOfRange(bytes, 1000, 301000));
    }

    @Test
    void headHasTheLengthAndNoBodyAndTheConnectionStaysUsable() throws Exception {
        HttpResponse<byte[]> head = get(HttpRequest.newBuilder(base.resolve("0.ts")).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValueAsLong("content-length")).hasValue(bytes.length);
        assertThat(head.body()).isEmpty();
        assertThat(get(HttpRequest.newBuilder(base.resolve("0.ts"))).body()).isEqualTo(bytes);
    }

    private static HttpResponse<byte[]> get(HttpRequest.Builder request) throws Exception {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
