package io.modelgate.registry;

import io.modelgate.common.Digests;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.TreeMap;

/**
 * A recursive listing of a folder to compare before and after a command that must change nothing:
 * every entry's type, size and modification time (a folder's changes when anything is added to or
 * removed from it, even briefly), a file's content digest, and a link's target. Links are listed,
 * never followed.
 */
public final class DiskSnapshot {
    private DiskSnapshot() {
    }

    public static String of(Path root) throws IOException {
        TreeMap<String, String> entries = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                entries.put(root.relativize(d) + "/", "dir mtime=" + a.lastModifiedTime().toMillis());
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                String what;
                if (a.isSymbolicLink()) {
                    what = "link -> " + Files.readSymbolicLink(f);
                } else if (a.isRegularFile()) {
                    what = "file size=" + a.size() + " mtime=" + a.lastModifiedTime().toMillis() + " sha256="
                            + Digests.of(f).sha256();
                } else {
                    what = "other size=" + a.size() + " mtime=" + a.lastModifiedTime().toMillis();
                }
                entries.put(root.relativize(f).toString(), what);
                return FileVisitResult.CONTINUE;
            }
        });
        StringBuilder out = new StringBuilder();
        entries.forEach((k, v) -> out.append(k).append("  ").append(v).append('\n'));
        return out.toString();
    }

    /** Whether {@code p} exists, without following a link. */
    public static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
