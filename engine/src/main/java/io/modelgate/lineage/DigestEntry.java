package io.modelgate.lineage;

import java.util.List;

/**
 * One file as the digest cache knows it: the key (path, inode, size, modification time) and what
 * reading it gave.
 *
 * @param path       absolute, normalized path
 * @param inode      the file key: device and inode number on Unix; empty where the file system has none
 * @param size       bytes
 * @param mtimeNanos modification time, nanoseconds since the epoch (as precise as the file system keeps it)
 * @param sha256     hex SHA-256 of the bytes
 * @param csvHeader  header fields of a CSV file; empty otherwise
 * @param csvRows    non-empty lines after the header of a CSV file; -1 otherwise
 */
record DigestEntry(String path, String inode, long size, long mtimeNanos, String sha256, List<String> csvHeader,
                   long csvRows) {
    DigestEntry {
        csvHeader = List.copyOf(csvHeader);
    }

    /** True when {@code stat} describes the same file, unchanged, as far as the cache key can tell. */
    boolean matches(DigestStat stat) {
        return path.equals(stat.path()) && inode.equals(stat.inode()) && size == stat.size()
                && mtimeNanos == stat.mtimeNanos();
    }
}
