package io.modelgate.step;

import io.modelgate.testing.SourceTree;
import io.modelgate.common.ModelgateVersion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryCompatibilityTest {
    @Test
    void theSameMajorAndMinorMatchWhateverThePatchOrPreRelease() {
        assertThat(LibraryCompatibility.problem("0.1.0-SNAPSHOT", "0.1.0-SNAPSHOT")).isEmpty();
        assertThat(LibraryCompatibility.problem("0.1.7", "0.1.0")).isEmpty();
        assertThat(LibraryCompatibility.problem("1.4.0", "v1.4.2-rc.1+build.5")).isEmpty();
    }

    @Test
    void anotherMinorOrMajorIsOneLineNamingBothAndWhatToInstall() {
        assertThat(LibraryCompatibility.problem("0.2.3", "0.1.0")).hasValue("the Modelgate shared library is version 0.1.0 "
                + "but the modelgate on this agent is 0.2.3; install modelgate 0.1.x on the agent, or load the library "
                + "version that matches 0.2 (docs/install.md)");
        assertThat(LibraryCompatibility.problem("1.1.0", "0.1.0")).isPresent();
        assertThat(LibraryCompatibility.problem("0.10.0", "0.1.0")).as("10 is not 1").isPresent();
    }

    @Test
    void noVersionFromTheLibraryIsNotChecked() {
        assertThat(LibraryCompatibility.problem("0.1.0", null)).isEmpty();
        assertThat(LibraryCompatibility.problem("0.1.0", " ")).isEmpty();
        assertThat(LibraryCompatibility.problem("unknown", "0.1.0")).isEmpty();
    }

    @Test
    void aMalformedLibraryVersionIsRefusedInOneEscapedLine() {
        assertThat(LibraryCompatibility.problem("0.1.0", "latest\nforged")).hasValueSatisfying(p ->
                assertThat(p).startsWith("MODELGATE_LIBRARY_VERSION is 'latest").doesNotContain("\n"));
    }

    @Test
    void theSharedLibraryInThisRepositorySaysTheVersionThisBuildHas() throws IOException {
        // Bumping the version in pom.xml without the library's resource would make every step fail on agents.
        Path file = SourceTree.resolve("pipeline-steps/resources/io/modelgate/library-version.txt");
        assertThat(Files.readString(file).strip()).isEqualTo(ModelgateVersion.current());
    }
}
