package io.modelgate.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Modelgate source tree, for tests that read the repository's own files (docs, examples, the shared
 * library, the launcher). Maven runs each module's tests in the module's directory, so a relative path
 * would depend on which module a test lives in.
 */
public final class SourceTree {
    private SourceTree() {
    }

    /** The root: the {@code modelgate.repo} property Maven sets, else the nearest directory up with pipeline-steps/ (an IDE run). */
    public static Path root() {
        String configured = System.getProperty("modelgate.repo");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("pipeline-steps")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the Modelgate source tree above " + Path.of("").toAbsolutePath());
    }

    /** A file or directory of the source tree, e.g. {@code docs/jenkins.md}. */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
