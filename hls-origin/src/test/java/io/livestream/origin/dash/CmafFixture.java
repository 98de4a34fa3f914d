package io.livestream.origin.dash;

import io.livestream.common.media.Mp4Boxes;
import io.livestream.common.testing.FfmpegProgram;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Real muxed CMAF as the transcoder writes it (FFmpeg's mp4 muxer, cmaf + empty_moov + default_base_moof, H.264 and
 * AAC in one file, a chunk about every 0.33 s and a keyframe every second): its init segment and its chunks.
 */
record CmafFixture(byte[] file, byte[] init, List<byte[]> chunks) {

    static CmafFixture make(Path dir, double seconds) throws Exception {
        Path out = dir.resolve("muxed.mp4");
        List<String> args = new ArrayList<>(FfmpegProgram.testPatternInput("320x240", 30, seconds));
        args.addAll(List.of("-c:v", "libx264", "-preset", "ultrafast", "-g", "30", "-bf", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-f", "mp4", "-movflags", "cmaf+frag_keyframe+empty_moov+default_base_moof",
                "-frag_duration", "330000", "-y", out.toString()));
        FfmpegProgram.run(args, dir.resolve("ffmpeg.log"));
        byte[] file = Files.readAllBytes(out);
        List<Mp4Boxes.Box> boxes = Mp4Boxes.topLevel(file);
        ByteArrayOutputStream init = new ByteArrayOutputStream();
        List<byte[]> chunks = new ArrayList<>();
        for (int i = 0; i < boxes.size(); i++) {
            Mp4Boxes.Box b = boxes.get(i);
            if (b.type().equals("ftyp") || b.type().equals("moov")) init.write(file, b.offset(), b.size());
            if (b.type().equals("moof")) {
                Mp4Boxes.Box mdat = boxes.get(++i);
                chunks.add(Arrays.copyOfRange(file, b.offset(), mdat.offset() + mdat.size()));
            }
        }
        return new CmafFixture(file, init.toByteArray(), chunks);
    }

    static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
