package io.livestream.origin.dash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.livestream.common.media.Mp4Boxes;
import io.livestream.common.testing.FfmpegProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The muxed CMAF of the real FFmpeg muxer split per track; the real ffprobe reads each track's init + chunks. */
class Fmp4TracksTest {
    @TempDir
    static Path tmp;
    static CmafFixture muxed;

    @BeforeAll
    static void mux() throws Exception {
        muxed = CmafFixture.make(tmp, 3);
    }

    @Test
    void theInitSplitsIntoAVideoAndAnAudioInitEachWithOneTrakAndItsTrex() {
        List<Fmp4Tracks.Track> tracks = Fmp4Tracks.tracks(muxed.init());
        assertThat(tracks).extracting(Fmp4Tracks.Track::handler).containsExactly("vide", "soun");
        assertThat(tracks.get(1).timescale()).isEqualTo(44100);
        for (Fmp4Tracks.Track t : tracks) {
            assertThat(Mp4Boxes.isInitSegment(t.init())).isTrue();
            String text = new String(t.init(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text.split("trak", -1)).as("one trak").hasSize(2);
            assertThat(text.split("trex", -1)).as("one trex").hasSize(2);
        }
    }

    @Test
    void eachTracksChunksPlayAfterItsInitWithEverySampleAndDecodeTimeOfTheMuxedFile() throws Exception {
        List<Fmp4Tracks.Track> tracks = Fmp4Tracks.tracks(muxed.init());
        for (int stream = 0; stream < 2; stream++) {
            Fmp4Tracks.Track track = tracks.get(stream);
            List<byte[]> own = new ArrayList<>();
            for (byte[] chunk : muxed.chunks()) {
                byte[] split = Fmp4Tracks.extract(chunk, track.trackId(), 0);
                if (split.length > 0) assertThat(Mp4Boxes.types(split)).containsExactly("moof", "mdat");
                assertThat(Fmp4Tracks.firstDecodeTime(split, track.trackId())).isEqualTo(Fmp4Tracks.firstDecodeTime(chunk, track.trackId()));
                own.add(split);
            }
            Path file = tmp.resolve(track.handler() + ".mp4");
            Files.write(file, CmafFixture.concat(List.of(track.init(), CmafFixture.concat(own))));
            Files.write(tmp.resolve("muxed.mp4"), muxed.file());
            String kind = track.isVideo() ? "v" : "a";
            List<String> split = packets(file, "0");
            assertThat(split).as("%s: packets (dts, pts, size, flags)", track.handler()).hasSizeGreaterThan(20)
                    .isEqualTo(packets(tmp.resolve("muxed.mp4"), kind + ":0"));
            assertThat(streams(file)).containsExactly(track.isVideo() ? "video" : "audio");
        }
    }

    @Test
    void aShiftMovesEveryDecodeTimeAndASegmentOfManyChunksSplitsAsItsChunksDo() {
        Fmp4Tracks.Track video = Fmp4Tracks.tracks(muxed.init()).get(0);
        byte[] segment = CmafFixture.concat(muxed.chunks().subList(0, 3));
        List<byte[]> each = muxed.chunks().subList(0, 3).stream().map(c -> Fmp4Tracks.extract(c, video.trackId(), 0)).toList();
        assertThat(Fmp4Tracks.extract(segment, video.trackId(), 0)).isEqualTo(CmafFixture.concat(each));
        long shift = 90_000L * 3_600 * 24 * 30; // past 32 bits
        byte[] shifted = Fmp4Tracks.extract(muxed.chunks().get(2), video.trackId(), shift);
        assertThat(Fmp4Tracks.firstDecodeTime(shifted, video.trackId()))
                .isEqualTo(Fmp4Tracks.firstDecodeTime(muxed.chunks().get(2), video.trackId()) + shift);
        assertThat(Fmp4Tracks.extract(muxed.chunks().get(2), 99, 0)).as("no such track").isEmpty();
    }

    @Test
    void inputItCannotSplitIsRefused() {
        assertThatThrownBy(() -> Fmp4Tracks.tracks(muxed.chunks().get(0))).isInstanceOf(IllegalArgumentException.class);
        byte[] moofOnly = java.util.Arrays.copyOf(muxed.chunks().get(0), 200);
        assertThatThrownBy(() -> Fmp4Tracks.extract(moofOnly, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** dts, pts, size and keyframe flag of each packet of one stream, as ffprobe reads them. */
    private static List<String> packets(Path file, String stream) throws Exception {
        return probe(List.of("-v", "error", "-select_streams", stream, "-show_entries", "packet=dts,pts,size,flags", "-of", "csv=p=0",
                file.toString()));
    }

    private static List<String> streams(Path file) throws Exception {
        return probe(List.of("-v", "error", "-show_entries", "stream=codec_type", "-of", "csv=p=0", file.toString()));
    }

    private static List<String> probe(List<String> args) throws Exception {
        Path log = Files.createTempFile(tmp, "ffprobe", ".log");
        Process p = FfmpegProgram.builder(FfmpegProgram.ffprobe(), args).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(log)).isZero();
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank()).toList();
    }
}
