package io.livestream.common.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * {@code data/admin.token}: the operator token in clear, for the CLI and scripts on the machine that created it. Written
 * owner-only (mode 600) from the start (never world-readable, not even for a moment), then renamed into place.
 */
public final class AdminTokenFile {
    public static final String NAME = "admin.token";

    private AdminTokenFile() {}

    /** The token in {@code file}, trimmed; empty if the file is missing or blank. */
    public static Optional<String> read(Path file) {
        try {
            if (!Files.isRegularFile(file)) return Optional.empty();
            String token = Files.readString(file).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the operator token in " + file, e);
        }
    }

    public static void write(Path file, String token) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, token + "\n");
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the operator token to " + file, e);
        }
    }
}
