package io.smcvertx.cluster.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small file so that a crash at any moment leaves either the old content or the new,
 * never a mix: the new bytes go to {@code <file>.tmp}, are synced, and the temporary file is
 * renamed over the old one (atomic on POSIX file systems); the directory is synced after the
 * rename, so the new name survives a power loss too. One writer per file (the temporary name is
 * fixed, so a crash leaves at most one stray, which {@link #removeStray} cleans up).
 */
public final class DurableFile {

    private static final System.Logger LOG = System.getLogger(DurableFile.class.getName());

    private DurableFile() {
    }

    /** The temporary file a write of {@code file} goes through. */
    public static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /**
     * Writes {@code bytes} to {@code file} as described above; {@code faultPoint} is reached between
     * the synced write and the rename.
     */
    public static void write(Path file, byte[] bytes, String faultPoint) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = temporary(file);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        FaultPoints.reached(faultPoint);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot replace " + file + " atomically on this file system: " + e.getMessage(), e);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename itself is done
        }
    }

    /**
     * Deletes what a write that a crash interrupted left (the file itself is then whole: the
     * previous content); true, and logged, when there was something.
     */
    public static boolean removeStray(Path file) throws IOException {
        boolean removed = Files.deleteIfExists(temporary(file));
        if (removed) {
            LOG.log(Level.INFO, "removed {0}, left by a write that a crash interrupted; {1} is whole",
                    temporary(file), file);
        }
        return removed;
    }
}
