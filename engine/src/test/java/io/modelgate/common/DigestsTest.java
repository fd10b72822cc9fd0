package io.modelgate.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digests of artifacts (registry register --artifact): FIFOs and devices are refused, not read forever. */
class DigestsTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void aFifoIsRefusedAtOnceInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("model.fifo"));
        Throwable t = assertTimeoutPreemptively(AT_ONCE, () -> catchThrowable(() -> Digests.of(fifo)));
        assertThat(t).isInstanceOf(IOException.class).hasMessage("is not a regular file or directory (it is a FIFO)");
    }

    @Test
    void aDeviceIsRefusedAtOnce() {
        Path zero = Path.of("/dev/zero");
        if (!Files.exists(zero)) {
            return;
        }
        Throwable t = assertTimeoutPreemptively(AT_ONCE, () -> catchThrowable(() -> Digests.of(zero)));
        assertThat(t).isInstanceOf(IOException.class)
                .hasMessage("is not a regular file or directory (it is a character device)");
    }

    @Test
    void aLinkToAFileIsThatFileAndAFifoInADirectoryIsSkipped() throws Exception {
        Path model = Files.writeString(dir.resolve("model.bin"), "weights");
        Path link = Files.createSymbolicLink(dir.resolve("link.bin"), model);
        assertThat(Digests.of(link)).isEqualTo(Digests.of(model));
        assertThat(Digests.of(link).sha256()).isEqualTo(Digests.sha256("weights".getBytes()));

        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.txt"), "a");
        Digests.Digest before = Digests.of(tree);
        HostileFiles.fifo(tree.resolve("pipe"));
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> Digests.of(tree))).isEqualTo(before);
    }

    @Test
    void aMissingFileIsNoSuchFile() {
        assertThat(catchThrowable(() -> Digests.of(dir.resolve("nope")))).isInstanceOf(NoSuchFileException.class);
    }
}
