package io.livestream.origin.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.FileRegion;
import java.io.ByteArrayOutputStream;
import java.nio.channels.Channels;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileBodiesTest {
    @TempDir
    Path dir;

    @Test
    void regionsOfOneFileServeEveryAnswerAndNothingIsLeftOnDisk() throws Exception {
        FileBodies files = FileBodies.in(dir, 4, 1000);
        byte[] body = {1, 2, 3, 4, 5};
        FileRegion whole = files.region(body, 0, 5);
        FileRegion tail = files.region(body, 3, 2);
        assertThat(files.files()).isEqualTo(1);
        assertThat(read(whole)).containsExactly(1, 2, 3, 4, 5);
        assertThat(read(tail)).containsExactly(4, 5);
        assertThat(dir.toFile().list()).as("deleted once open").isEmpty();
        whole.release();
        tail.release();
        files.clear();
    }

    @Test
    void anEvictedFileStaysReadableForTheAnswerBeingWritten() throws Exception {
        FileBodies files = FileBodies.in(dir, 1, 1000);
        FileRegion inFlight = files.region(new byte[] {9, 9}, 0, 2);
        files.region(new byte[] {8}, 0, 1).release(); // one file at most: the first is evicted
        assertThat(files.files()).isEqualTo(1);
        assertThat(read(inFlight)).containsExactly(9, 9);
        inFlight.release();
        files.clear();
    }

    @Test
    void aBodyThatCannotBeWrittenGivesNoRegionSoTheAnswerGoesFromMemory() {
        FileBodies files = FileBodies.in(dir.resolve("not-there"), 4, 1000);
        assertThat(files.region(new byte[] {1}, 0, 1)).isNull();
        assertThat(files.files()).isZero();
    }

    private static byte[] read(FileRegion region) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        region.transferTo(Channels.newChannel(out), 0);
        return out.toByteArray();
    }
}
