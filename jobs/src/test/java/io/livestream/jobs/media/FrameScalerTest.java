package io.livestream.jobs.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV422P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;

import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.junit.jupiter.api.Test;

class FrameScalerTest {
    @Test
    void scalesToTheRungsSizeInANewFrameKeepingTheTimestampAndTheSourceIntact() {
        AVFrame source = picture(1920, 1080, AV_PIX_FMT_YUV420P, 200, 4_000);
        try (FrameScaler scaler = new FrameScaler(1280, 720)) {
            AVFrame scaled = scaler.scale(source);
            try {
                assertThat(scaled.width()).isEqualTo(1280);
                assertThat(scaled.height()).isEqualTo(720);
                assertThat(scaled.format()).isEqualTo(AV_PIX_FMT_YUV420P);
                assertThat(scaled.pts()).isEqualTo(4_000);
                assertThat(scaled.data(0).address()).isNotEqualTo(source.data(0).address());
                assertThat(scaled.data(0).get(640 + 360L * scaled.linesize(0)) & 0xff).isEqualTo(200); // a flat picture stays flat
                assertThat(source.width()).isEqualTo(1920);
            } finally {
                av_frame_free(scaled);
            }
        } finally {
            av_frame_free(source);
        }
    }

    @Test
    void aPictureAlreadyAtTheSizeAndFormatIsANewReferenceNotACopy() {
        AVFrame source = picture(640, 360, AV_PIX_FMT_YUV420P, 90, 33);
        try (FrameScaler scaler = new FrameScaler(640, 360)) {
            AVFrame same = scaler.scale(source);
            try {
                assertThat(same.address()).isNotEqualTo(source.address()); // the caller frees it apart
                assertThat(same.data(0).address()).isEqualTo(source.data(0).address());
                assertThat(same.pts()).isEqualTo(33);
            } finally {
                av_frame_free(same);
            }
        } finally {
            av_frame_free(source);
        }
    }

    @Test
    void anotherPixelFormatAtTheSameSizeIsConvertedToYuv420p() {
        AVFrame source = picture(640, 360, AV_PIX_FMT_YUV422P, 50, 0);
        try (FrameScaler scaler = new FrameScaler(640, 360)) {
            AVFrame converted = scaler.scale(source);
            try {
                assertThat(converted.format()).isEqualTo(AV_PIX_FMT_YUV420P);
                assertThat(converted.data(0).address()).isNotEqualTo(source.data(0).address());
            } finally {
                av_frame_free(converted);
            }
        } finally {
            av_frame_free(source);
        }
    }

    @Test
    void onlyFullHdRungsAndLargerGetTheSliceThreads() {
        TranscodeSettings settings = TranscodeSettings.defaults().withEncoderThreads(3);
        assertThat(settings.encoderThreadsFor(1920, 1080)).isEqualTo(3);
        assertThat(settings.encoderThreadsFor(3840, 2160)).isEqualTo(3);
        assertThat(settings.encoderThreadsFor(1280, 720)).isEqualTo(1);
        assertThat(settings.encoderThreadsFor(640, 360)).isEqualTo(1);
    }

    /** A flat picture: every luma sample {@code luma}, chroma neutral. */
    private static AVFrame picture(int width, int height, int format, int luma, long pts) {
        AVFrame frame = av_frame_alloc();
        frame.width(width).height(height).format(format);
        FFmpegCalls.check(av_frame_get_buffer(frame, 0), "allocate");
        for (int plane = 0; plane < 3; plane++) {
            int rows = plane == 0 || format == AV_PIX_FMT_YUV422P ? height : height / 2;
            long bytes = (long) frame.linesize(plane) * rows;
            frame.data(plane).capacity(bytes);
            for (long i = 0; i < bytes; i++) frame.data(plane).put(i, (byte) (plane == 0 ? luma : 128));
        }
        frame.pts(pts);
        return frame;
    }
}
