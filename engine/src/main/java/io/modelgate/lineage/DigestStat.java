package io.modelgate.lineage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

/**
 * The cache key of a file, from one {@code stat}: absolute path, inode, size and modification time.
 * Symbolic links are followed, so the key is that of the file the link points to (under the link's path).
 *
 * @param path       absolute, normalized path
 * @param inode      the file key: device and inode number on Unix; empty where the file system has none
 * @param size       bytes
 * @param mtimeNanos modification time in nanoseconds since the epoch
 * @param regular    whether it is a regular file (not a directory, socket, FIFO or device)
 * @param directory  whether it is a directory
 */
record DigestStat(String path, String inode, long size, long mtimeNanos, boolean regular, boolean directory) {

    /** One {@code stat} of the file, following symbolic links. */
    static DigestStat of(Path absolute) throws IOException {
        return of(absolute, Files.readAttributes(absolute, BasicFileAttributes.class));
    }

    /**
     * The key from attributes already read (a directory walk reads them anyway, so a cache hit costs no
     * second {@code stat}). The inode comes from the file key, which on Linux and macOS is the device
     * and inode number ({@code (dev=..,ino=..)}) — the {@code unix:dev} and {@code unix:ino} attributes,
     * read in the same system call; file systems without file keys fall back to path, size and time.
     */
    static DigestStat of(Path absolute, BasicFileAttributes a) {
        Object key = a.fileKey();
        return new DigestStat(absolute.toString(), key == null ? "" : key.toString(), a.size(),
                nanos(a.lastModifiedTime()), a.isRegularFile(), a.isDirectory());
    }

    private static long nanos(FileTime t) {
        return t.to(TimeUnit.NANOSECONDS);
    }

    /** Same file, unchanged, as far as the key can tell. */
    boolean sameAs(DigestStat other) {
        return path.equals(other.path) && inode.equals(other.inode) && size == other.size
                && mtimeNanos == other.mtimeNanos;
    }
}
