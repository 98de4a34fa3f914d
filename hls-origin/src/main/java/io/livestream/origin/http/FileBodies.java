package io.livestream.origin.http;

import io.livestream.netguard.RateLimitedLog;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Whole segments kept as files in memory (tmpfs) and sent with sendfile(2), as nginx sends them from the page cache.
 * From a direct buffer the kernel still copies every answer from the process into the socket: about a third of the
 * origin's CPU per 500 KB segment, which nginx does not spend. Each body is written once to a file that is deleted
 * at once (its open channel keeps it, and nothing is left behind if the process dies), and every answer is a region
 * of that one channel. Bounded in files and bytes, least recently sent first out; an evicted file's memory goes when
 * the last answer written from it is done. Plain sockets only (TLS and HTTP/2 streams need buffers). Thread-safe.
 */
final class FileBodies {
    /** Smaller bodies (parts, inits) go from {@link DirectBodies}: one descriptor each would cost more than it saves. */
    static final int MIN_BYTES = 256 * 1024;
    static final int DEFAULT_MAX_FILES = 512;

    /** As {@link DirectBodies#defaultMaxBytes()}: tmpfs is memory too (a container's limit counts it). */
    static long defaultMaxBytes() {
        return DirectBodies.defaultMaxBytes();
    }
    private static final Path SHARED_MEMORY = Path.of("/dev/shm");

    /** A stored body by identity, as in {@link DirectBodies}. */
    private record Body(byte[] bytes) {}

    /** One body's file; closed when the cache and every answer written from it have let go. */
    private static final class Copy extends AbstractReferenceCounted {
        final FileChannel channel;

        Copy(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        protected void deallocate() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do: the file was deleted already, closing only frees it
            }
        }

        @Override
        public ReferenceCounted touch(Object hint) {
            return this;
        }
    }

    /** A region of a shared copy: releasing it lets go of the copy instead of closing the channel. */
    private static final class SharedRegion extends DefaultFileRegion {
        private final Copy copy;

        SharedRegion(Copy copy, long position, long count) {
            super(copy.channel, position, count);
            this.copy = copy;
            copy.retain();
        }

        @Override
        protected void deallocate() {
            copy.release();
        }
    }

    private static final RateLimitedLog LOG = RateLimitedLog.info(LoggerFactory.getLogger(FileBodies.class));

    private final Path dir;
    private final int maxFiles;
    private final long maxBytes;
    private final LinkedHashMap<Body, Copy> copies = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;

    private FileBodies(Path dir, int maxFiles, long maxBytes) {
        this.dir = dir;
        this.maxFiles = maxFiles;
        this.maxBytes = maxBytes;
    }

    /** In /dev/shm where there is one (Linux), else none: answers then go from buffers. */
    static FileBodies inSharedMemory(int maxFiles, long maxBytes) {
        return Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY) ? new FileBodies(SHARED_MEMORY, maxFiles, maxBytes) : null;
    }

    static FileBodies in(Path dir, int maxFiles, long maxBytes) {
        return new FileBodies(dir, maxFiles, maxBytes);
    }

    /**
     * {@code count} bytes of {@code body} from {@code position}, for one answer: the write releases it. Null when the
     * body cannot be written (a full tmpfs: a container's /dev/shm is 64 MB by default); the answer goes from a buffer.
     */
    synchronized FileRegion region(byte[] body, long position, long count) {
        Copy copy = copies.get(new Body(body));
        if (copy != null) return new SharedRegion(copy, position, count);
        FileChannel channel = write(body);
        if (channel == null) return null;
        copy = new Copy(channel);
        copies.put(new Body(body), copy);
        bytes += body.length;
        FileRegion region = new SharedRegion(copy, position, count); // before evicting, which may take this one at once
        evictPast(maxFiles, maxBytes);
        return region;
    }

    /** Files held now (for tests). */
    synchronized int files() {
        return copies.size();
    }

    /** Lets go of every file (the server stopped); answers still being written keep theirs until they are done. */
    synchronized void clear() {
        evictPast(0, 0);
    }

    private FileChannel write(byte[] body) {
        if (bytes + body.length > maxBytes) evictPast(maxFiles, maxBytes - body.length); // room first, if tmpfs is small
        try {
            Path file = Files.createTempFile(dir, "origin-body-", ".bin");
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Files.delete(file);
                ByteBuffer from = ByteBuffer.wrap(body);
                while (from.hasRemaining()) channel.write(from);
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            LOG.event("write", "cannot keep a segment in %s (%s): sending from memory", dir, e.getMessage());
            return null;
        }
    }

    private void evictPast(int files, long limit) {
        for (Iterator<Map.Entry<Body, Copy>> it = copies.entrySet().iterator(); it.hasNext() && (copies.size() > files || bytes > limit); ) {
            Map.Entry<Body, Copy> eldest = it.next();
            bytes -= eldest.getKey().bytes().length;
            eldest.getValue().release();
            it.remove();
        }
    }
}
