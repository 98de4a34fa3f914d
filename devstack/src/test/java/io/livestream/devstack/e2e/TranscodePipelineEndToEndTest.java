package io.livestream.devstack.e2e;

import static io.livestream.devstack.e2e.OriginFetch.concat;
import static io.livestream.devstack.e2e.OriginFetch.ffprobe;
import static io.livestream.devstack.e2e.OriginFetch.get;
import static io.livestream.devstack.e2e.OriginFetch.getBytes;
import static io.livestream.devstack.e2e.OriginFetch.segmentsOf;
import static io.livestream.devstack.e2e.OriginFetch.variantsOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.livestream.common.json.Json;
import io.livestream.common.registry.CreatedStream;
import io.livestream.common.testing.FfmpegProgram;
import io.livestream.devstack.PipelineFixture;
import io.livestream.devstack.SharedInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3 end to end: ffmpeg publishes 720p to the edge -> Kafka -> the transcode job in a Flink MiniCluster -> Kafka
 * -> the HLS origin, and everything a player would fetch is checked over HTTP.
 */
class TranscodePipelineEndToEndTest {
    private static PipelineFixture pipeline;

    @TempDir
    static Path tmp;

    @BeforeAll
    static void startPipeline() throws Exception {
        pipeline = new PipelineFixture(SharedInfra.get(), "ultrafast", sink -> sink);
    }

    @AfterAll
    static void stopPipeline() throws Exception {
        if (pipeline != null) pipeline.close();
    }

    @Test
    void aPublishedStreamIsServedAsAKeyframeAlignedLadder() throws Exception {
        CreatedStream stream = pipeline.registry().create("pipeline e2e", "b1", null);
        String id = stream.stream().id();
        Path log = tmp.resolve("ffmpeg.log");
        // 1280x720 at 30 fps with a keyframe every 30 frames: the ladder is source, 480p, 360p (720p would equal the source)
        Process ffmpeg = FfmpegProgram.publishTestPattern(pipeline.rtmpUrl(stream.streamKey()), "1280x720", 30, 20, log);
        String base = pipeline.liveBaseUrl(id);
        OriginFetch.awaitLadderThenEnd(base, 3, ffmpeg, log);

        // the default output: CMAF. Every rendition's init segment + each segment is one fMP4 file ffprobe reads
        List<OriginFetch.Variant> fmp4Variants = variantsOf(get(base + "master.m3u8"));
        assertThat(fmp4Variants).extracting(v -> v.height()).containsExactlyInAnyOrder(720, 480, 360);
        for (OriginFetch.Variant v : fmp4Variants) {
            assertThat(v.codecs()).matches("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");
            String playlistUrl = base + v.uri();
            String text = get(playlistUrl);
            PlaylistRules.Media media = PlaylistRules.parseMedia(text);
            PlaylistRules.checkLowLatency(text, fmp4Variants.size());
            assertThat(media.map()).as("EXT-X-MAP of %s", v.uri()).isNotNull();
            String variantBase = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
            byte[] init = getBytes(variantBase + media.map());
            assertThat(io.livestream.common.media.Mp4Boxes.isInitSegment(init)).isTrue();
            for (PlaylistRules.Segment segment : media.segments()) {
                assertThat(segment.uri()).endsWith(".m4s");
                byte[] bytes = getBytes(variantBase + segment.uri());
                assertThat(io.livestream.common.media.Mp4Boxes.isChunks(bytes)).as("%s%s is moof+mdat chunks", v.uri(), segment.uri()).isTrue();
                Path file = tmp.resolve(v.height() + "-" + segment.uri() + ".mp4");
                Files.write(file, concat(init, bytes));
                JsonNode streams = Json.MAPPER.readTree(ffprobe(file.toString())).get("streams");
                assertThat(streams).anySatisfy(st -> {
                    assertThat(st.get("codec_name").asText()).isEqualTo("h264");
                    assertThat(st.get("height").asInt()).isEqualTo(v.height());
                });
                assertThat(streams).anySatisfy(st -> assertThat(st.get("codec_name").asText()).isEqualTo("aac"));
            }
        }

        // the legacy output: MPEG-TS under ts/, segments and parts starting with PAT/PMT
        List<OriginFetch.Variant> variants = variantsOf(get(base + "ts/master.m3u8"));
        assertThat(variants).extracting(v -> v.height()).containsExactlyInAnyOrder(720, 480, 360);
        Map<Long, List<TsProbe.FirstVideo>> firstFrames = new HashMap<>();
        for (OriginFetch.Variant v : variants) {
            assertThat(v.codecs()).matches("avc1\\.[0-9a-f]{6},mp4a\\.40\\.2");
            assertThat(v.frameRate()).isEqualTo(30.0);
            String playlistUrl = base + "ts/" + v.uri();
            String text = get(playlistUrl);
            PlaylistRules.Media media = PlaylistRules.parseMedia(text);
            assertThat(media.map()).isNull();
            assertThat(media.segments()).hasSizeGreaterThanOrEqualTo(3);
            // the source GOP is 1 s: every segment matches it within 10 %
            assertThat(media.segments()).allSatisfy(s -> assertThat(s.duration()).isBetween(0.9, 1.1));

            JsonNode probe = Json.MAPPER.readTree(ffprobe(playlistUrl));
            JsonNode streams = probe.get("streams");
            assertThat(streams).anySatisfy(s -> {
                assertThat(s.get("codec_name").asText()).isEqualTo("h264");
                assertThat(s.get("height").asInt()).isEqualTo(v.height());
            });
            assertThat(streams).anySatisfy(s -> assertThat(s.get("codec_name").asText()).isEqualTo("aac"));

            String variantBase = playlistUrl.substring(0, playlistUrl.lastIndexOf('/') + 1);
            for (String part : media.partUris()) {
                assertThat(TsProbe.firstVideo(getBytes(variantBase + part)).tablesFirst()).as("PAT and PMT lead part %s", part).isTrue();
            }
            for (int i = 0; i < media.segments().size(); i++) {
                byte[] ts = getBytes(variantBase + media.segments().get(i).uri());
                TsProbe.FirstVideo first = TsProbe.firstVideo(ts);
                assertThat(first.tablesFirst()).as("PAT and PMT before any media in every segment").isTrue();
                assertThat(first.idr()).as("%s segment %d starts with an IDR", v.uri(), media.mediaSequence() + i).isTrue();
                firstFrames.computeIfAbsent(media.mediaSequence() + i, k -> new ArrayList<>()).add(first);
            }
        }
        long compared = firstFrames.values().stream().filter(l -> l.size() == variants.size()).peek(sameSequence ->
                assertThat(sameSequence).extracting(TsProbe.FirstVideo::pts90k).as("same PTS across renditions").containsOnly(sameSequence.get(0).pts90k()))
                .count();
        assertThat(compared).as("sequence numbers present in every rendition").isGreaterThanOrEqualTo(3);
    }
}
