package io.modelgate.jenkins;

import io.modelgate.testing.SourceTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/** A Jenkins workspace as a checkout of this repository would give: the Jenkinsfile, examples/ and the launcher. */
final class Workspaces {
    static final Path REPO = SourceTree.root();

    private Workspaces() {
    }

    static Path jar() {
        return Path.of(System.getProperty("modelgate.jar", "target/modelgate.jar")).toAbsolutePath();
    }

    /** Copies the Jenkinsfile and examples/ into {@code ws} and puts a {@code modelgate} launcher for the built jar at its root. */
    static Path checkout(Path ws) throws IOException {
        Files.createDirectories(ws);
        Files.copy(REPO.resolve("Jenkinsfile"), ws.resolve("Jenkinsfile"), StandardCopyOption.REPLACE_EXISTING);
        // examples/ holds the scheduled drift job's Jenkinsfile too.
        try (Stream<Path> files = Files.walk(REPO.resolve("examples"))) {
            for (Path f : files.toList()) {
                Path to = ws.resolve(REPO.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path launcher = ws.resolve("modelgate");
        Files.writeString(launcher, "#!/bin/sh\nexec \"" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "\" -XX:TieredStopAtLevel=1 -jar \"" + jar() + "\" \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return ws;
    }

    static JenkinsStepRecorder recorder(Path ws) {
        return new JenkinsStepRecorder(ws).library(REPO.resolve("pipeline-steps"));
    }
}
