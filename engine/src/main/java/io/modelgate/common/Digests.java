package io.modelgate.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** SHA-256 of files and directories, streamed, so a model or data set of any size can be digested. */
public final class Digests {
    private Digests() {
    }

    /**
     * A digest of content.
     *
     * @param sha256 hex SHA-256; of a directory: of the lines {@code <sha256>  <relative path>} of its
     *               regular files in sorted path order, so renames and moves change it
     * @param size   bytes (all files of a directory)
     * @param files  1 for a file, the number of regular files for a directory
     */
    public record Digest(String sha256, long size, long files) {
    }

    /**
     * Thrown as {@link IOException} so each capability can name the file in its own error. Anything but a
     * regular file or a directory (symbolic links followed) is refused from its type, before it is
     * opened: opening a FIFO blocks until it has a writer, and a device such as {@code /dev/zero} never ends.
     */
    public static Digest of(Path path) throws IOException {
        BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
        if (a.isDirectory()) {
            return directory(path);
        }
        if (!a.isRegularFile()) {
            throw new IOException("is not a regular file or directory (it is " + InputFiles.kind(path, a) + ")");
        }
        MessageDigest md = sha256();
        long size = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(path)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
                size += n;
            }
        }
        return new Digest(HexFormat.of().formatHex(md.digest()), size, 1);
    }

    private static Digest directory(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        MessageDigest listing = sha256();
        long size = 0;
        for (Path f : files) {
            Digest d = of(f);
            size += d.size();
            String rel = dir.relativize(f).toString().replace('\\', '/');
            listing.update((d.sha256() + "  " + rel + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return new Digest(HexFormat.of().formatHex(listing.digest()), size, files.size());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
