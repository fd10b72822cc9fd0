package io.modelgate.common;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Checks of paths that work makes before it starts, so that a bad one fails before anything is read at
 * length or written. The readers check what they open themselves; these are for paths the work would
 * otherwise only reach after writing something (an artifact registered after the reports, a plan written
 * after servers started). {@code what} names the path as the user gave it, e.g. {@code --artifact}.
 */
public final class PathChecks {
    private PathChecks() {
    }

    /** An artifact: a file or a directory that is there and can be read (its digest is computed from it). */
    public static void checkArtifact(String what, Path path) {
        if (!Files.exists(path)) {
            throw new InputException(what + " " + path + ": no such file or directory"
                    + (Files.isSymbolicLink(path) ? " (a symbolic link to nothing)" : ""));
        }
        if (!Files.isRegularFile(path) && !Files.isDirectory(path)) {
            throw new InputException(what + " " + path + ": not a regular file or directory");
        }
        if (!Files.isReadable(path)) {
            throw new InputException(what + " " + path + ": cannot be read (permission denied)");
        }
    }

    /** A directory to write into: absent (it is created) or a directory, not a file or a link to nothing. */
    public static void checkOutputDirectory(String what, Path dir) {
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            throw new InputException(what + " " + dir + ": a symbolic link to nothing");
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(what + " " + dir + ": not a directory");
        }
    }

    /** A file to write: absent or a regular file (it is replaced), not a directory, FIFO or device. */
    public static void checkOutputFile(String what, Path file) {
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new InputException(what + " " + file + ": "
                    + (Files.isDirectory(file) ? "a directory" : "not a regular file") + "; give a file to write");
        }
    }
}
