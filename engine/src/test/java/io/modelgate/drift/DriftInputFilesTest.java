package io.modelgate.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelgate.common.HostileFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Drift.evaluate} on inputs that are not what they seem: each is one {@link DriftException} line, at once. */
class DriftInputFilesTest {
    private static final Instant AT = Instant.parse("2025-01-01T00:00:00Z");
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private Path table(String name) throws IOException {
        StringBuilder csv = new StringBuilder("x,region\n");
        for (int i = 0; i < 200; i++) {
            csv.append(i % 17).append('.').append(i % 10).append(',').append(i % 3 == 0 ? "eu" : "us").append('\n');
        }
        return Files.writeString(dir.resolve(name), csv);
    }

    private static String errorOf(Runnable run) {
        Throwable t = catchThrowable(run::run);
        assertThat(t).isInstanceOf(DriftException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    private static DriftVerdict evaluate(Path reference, Path current) {
        return Drift.evaluate(reference, current, DriftPolicy.defaults(), AT);
    }

    @Test
    void aFifoAsEitherWindowIsRefusedAtOnce() throws Exception {
        Path ref = table("ref.csv");
        Path fifo = HostileFiles.fifo(dir.resolve("current.fifo"));
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> evaluate(ref, fifo))))
                .isEqualTo(fifo + ": is not a regular file (it is a FIFO)");
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> evaluate(fifo, ref))))
                .isEqualTo(fifo + ": is not a regular file (it is a FIFO)");
    }

    @Test
    void aFifoAsThePolicyIsRefusedAtOnce() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("drift.yaml"));
        Throwable t = assertTimeoutPreemptively(AT_ONCE, () -> catchThrowable(() -> DriftPolicyReader.read(fifo)));
        assertThat(t).isInstanceOf(DriftException.class).hasMessage(fifo + ": is not a regular file (it is a FIFO)");
    }

    @Test
    void deviceAndDirectoryAreRefused() throws IOException {
        Path ref = table("ref.csv");
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> evaluate(ref, Path.of("/dev/zero")))))
                .isEqualTo("/dev/zero: is not a regular file (it is a character device)");
        assertThat(errorOf(() -> evaluate(ref, dir))).isEqualTo(dir + ": is not a regular file (it is a directory)");
    }

    @Test
    void aSymbolicLinkToTheWindowIsFollowed() throws IOException {
        Path ref = table("ref.csv");
        Path link = Files.createSymbolicLink(dir.resolve("current.csv"), table("window.csv"));
        DriftVerdict v = evaluate(ref, link);
        assertThat(v.inputs().currentRows()).isEqualTo(200);
        assertThat(v.columns()).hasSize(2);
    }

    @Test
    void aColumnNamedTwiceInEitherFileIsAnErrorNamingIt() throws IOException {
        Path ref = table("ref.csv");
        Path dup = Files.writeString(dir.resolve("dup.csv"), "x,region,x\n1.0,eu,2.0\n");
        String message = dup + " line 1: column 'x' appears twice in the header (fields 1 and 3); give each column its own name";
        assertThat(errorOf(() -> evaluate(ref, dup))).isEqualTo(message);
        assertThat(errorOf(() -> evaluate(dup, ref))).isEqualTo(message);
    }

    @Test
    void aByteOrderMarkBeforeEitherHeaderIsDropped() throws IOException {
        Path ref = table("ref.csv");
        Path bom = dir.resolve("bom.csv");
        Files.write(bom, ("\uFEFF" + Files.readString(ref)).getBytes(StandardCharsets.UTF_8));
        DriftVerdict v = evaluate(bom, ref);
        assertThat(v.columns()).extracting(ColumnDrift::column).containsExactly("x", "region");
        assertThat(v.drifted()).isZero();
    }

    @Test
    void aTruncatedOrBombedGzipWindowIsOneLine() throws IOException {
        Path ref = table("ref.csv");
        byte[] whole = HostileFiles.gzip(Files.readAllBytes(ref));
        Path cut = HostileFiles.write(dir.resolve("cut.csv.gz"), Arrays.copyOf(whole, whole.length - 3));
        assertThat(errorOf(() -> evaluate(ref, cut))).startsWith(cut + ": gzip data is truncated or corrupt (");
        Path bomb = HostileFiles.write(dir.resolve("bomb.csv.gz"),
                HostileFiles.gzipBomb("x,region\n".getBytes(StandardCharsets.US_ASCII), (byte) 0, 200L << 20));
        HostileFiles.Attempt a = HostileFiles.attempt(() -> evaluate(ref, bomb));
        assertThat(a.thrown()).isInstanceOf(DriftException.class)
                .hasMessage(bomb + " line 2: line is longer than 16 MB (is this a CSV file?)");
        assertThat(a.allocated()).isLessThan(100L << 20);
    }
}
