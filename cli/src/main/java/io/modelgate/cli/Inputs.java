package io.modelgate.cli;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks of path flags that a command makes before it does any work, so that a bad one fails before anything
 * is read at length or written. The readers check what they open themselves; these are for paths a command
 * would otherwise only reach after writing something (an artifact registered after the reports, a plan
 * written after servers started).
 */
final class Inputs {
    private Inputs() {
    }

    /** An artifact: a file or a directory that is there and can be read (its digest is computed from it). */
    static void checkArtifact(String flag, Path path) {
        if (!Files.exists(path)) {
            throw new UsageException(flag + " " + path + ": no such file or directory"
                    + (Files.isSymbolicLink(path) ? " (a symbolic link to nothing)" : ""));
        }
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new UsageException(flag + " " + path + ": not a regular file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new UsageException(flag + " " + path + ": cannot be read (permission denied)");
        }
    }

    /** A directory to write into: absent (it is created) or a directory, not a file or a link to nothing. */
    static void checkOutputDirectory(String flag, Path dir) {
        if (dir == null) {
            return;
        }
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new UsageException(flag + " " + dir + ": a symbolic link to nothing");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UsageException(flag + " " + dir + ": not a directory");
        }
    }

    /** A file to write: absent or a regular file (it is replaced), not a directory, FIFO or device. */
    static void checkOutputFile(String flag, Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UsageException(flag + " " + file + ": "
                    + (Files.isDirectory(file) ? "a directory" : "not a regular file") + "; give a file to write");
        }
    }
}
