package io.livestream.devstack.e2e;

import static io.livestream.devstack.e2e.OriginFetch.concat;
import static io.livestream.devstack.e2e.OriginFetch.ffprobe;
import static io.livestream.devstack.e2e.OriginFetch.get;
import static io.livestream.devstack.e2e.OriginFetch.getBytes;
import static io.livestream.devstack.e2e.OriginFetch.segmentsOf;
import static io.livestream.devstack.e2e.OriginFetch.variantsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.ingest.IngestRecord;
import io.livestream.common.ingest.IngestRecordCodec;
import io.livestream.common.json.Json;
import io.livestream.common.kafka.Topics;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12 point 4 end to end: the ffmpeg program publishes HEVC (libx265, with B-frames: CodedFrames carrying
 * composition times) and AV1 (SVT-AV1) over Enhanced RTMP to the edge -> Kafka -> the transcode job -> the origin,
 * which must list a playable H.264 ladder: the source rung encoded to H.264 at the source size, and 240p.
 */
class EnhancedRtmpPublishEndToEndTest {
    private static final int SECONDS = 12;
    private static final int FPS = 30;
    private static final Map<String, List<String>> ENCODERS = Map.of(
            "hvc1", List.of("-c:v", "libx265", "-preset", "ultrafast", "-g", String.valueOf(FPS),
                    "-x265-params", "scenecut=0:log-level=error"),
            "av01", List.of("-c:v", "libsvtav1", "-preset", "12", "-g", String.valueOf(FPS), "-svtav1-params", "scd=0"));

    private static PipelineFixture pipeline;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPipeline() throws Exception {
        // 640x360 keeps the 2-core box ahead of ffmpeg's own encode: decode + two libx264 rungs
        pipeline = new PipelineFixture(SharedInfra.get(), "ultrafast", sink -> sink, Map.of("ladder", "source,240p:400"));
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hvc1", "av01"})
    void anEnhancedRtmpPublishIsServedAsAnH264Ladder(String fourCc) throws Exception {
        CreatedStream stream = pipeline.registry().create("enhanced rtmp " + fourCc, "b1", null);
        String id = stream.stream().id();
        Path log = tmp.resolve(fourCc + ".log");
        Process ffmpeg = FfmpegProgram.publishTestPattern(pipeline.rtmpUrl(stream.streamKey()), "640x360", FPS, SECONDS, ENCODERS.get(fourCc), log);
        String base = pipeline.liveBaseUrl(id);
        OriginFetch.awaitLadderThenEnd(base, 2, ffmpeg, log);

        List<IngestRecord> video = TopicReader.readKey(SharedInfra.get().bootstrapServers(), Topics.INGEST, id).stream()
                .map(IngestRecordCodec::fromConsumerRecord).filter(r -> r.kind() == IngestRecord.Kind.VIDEO).toList();
        assertThat(video).as("the edge took Enhanced RTMP in").isNotEmpty().extracting(IngestRecord::codec).containsOnly(fourCc);

        // CMAF: each rendition's init + every segment is H.264 at the rung's size
        List<OriginFetch.Variant> fmp4 = variantsOf(get(base + "master.m3u8"));
        assertThat(fmp4).extracting(v -> v.width() + "x" + v.height()).containsExactlyInAnyOrder("640x360", "426x240");
        for (OriginFetch.Variant v : fmp4) {
            assertThat(v.codecs()).matches("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");
            assertThat(v.frameRate()).isEqualTo(FPS);
            String playlistUrl = base + v.uri();
            PlaylistRules.Media media = PlaylistRules.parseMedia(get(playlistUrl));
            String variantBase = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
            byte[] init = getBytes(variantBase + media.map());
            assertThat(media.segments()).hasSizeGreaterThanOrEqualTo(4); // the live window's
            assertThat(media.mediaSequence() + media.segments().size()).as("one segment per 1 s GOP of the whole publish")
                    .isBetween(SECONDS - 1L, SECONDS + 1L);
            for (PlaylistRules.Segment segment : media.segments()) {
                Path file = Files.write(tmp.resolve(fourCc + "-" + v.height() + "-" + segment.uri() + ".mp4"),
                        concat(init, getBytes(variantBase + segment.uri())));
                JsonNode streams = Json.MAPPER.readTree(ffprobe(file.toString())).get("streams");
                assertThat(streams).anySatisfy(st -> {
                    assertThat(st.get("codec_name").asText()).isEqualTo("h264");
                    assertThat(st.get("width").asInt()).isEqualTo(v.width());
                    assertThat(st.get("height").asInt()).isEqualTo(v.height());
                });
                assertThat(streams).anySatisfy(st -> assertThat(st.get("codec_name").asText()).isEqualTo("aac"));
            }
        }

        // MPEG-TS: every segment an H.264 IDR first, at the same PTS in both renditions (keyframe-aligned cuts)
        List<OriginFetch.Variant> ts = variantsOf(get(base + "ts/master.m3u8"));
        assertThat(ts).extracting(OriginFetch.Variant::height).containsExactlyInAnyOrder(360, 240);
        Map<Long, Long> firstPtsBySequence = new HashMap<>();
        for (OriginFetch.Variant v : ts) {
            String playlistUrl = base + "ts/" + v.uri();
            JsonNode streams = Json.MAPPER.readTree(ffprobe(playlistUrl)).get("streams");
            assertThat(streams).anySatisfy(st -> {
                assertThat(st.get("codec_name").asText()).isEqualTo("h264");
                assertThat(st.get("height").asInt()).isEqualTo(v.height());
            });
            PlaylistRules.Media media = PlaylistRules.parseMedia(get(playlistUrl));
            assertThat(media.segments()).allSatisfy(s -> assertThat(s.duration()).isBetween(0.9, 1.1));
            String variantBase = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
            for (int i = 0; i < media.segments().size(); i++) {
                TsProbe.FirstVideo first = TsProbe.firstVideo(getBytes(variantBase + media.segments().get(i).uri()));
                assertThat(first.idr()).as("%s segment %d starts with an H.264 IDR", v.uri(), i).isTrue();
                Long other = firstPtsBySequence.putIfAbsent(media.mediaSequence() + i, first.pts90k());
                if (other != null) assertThat(first.pts90k()).as("same PTS across renditions").isEqualTo(other);
            }
        }
    }
}
