package io.modelgate.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFilesTest {
    /** Refusing a FIFO or a device is a stat: anything near this long means it was opened or read. */
    private static final Duration AT_ONCE = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    private static String errorOf(Runnable read) {
        Throwable t = catchThrowable(read::run);
        assertThat(t).isInstanceOf(InputException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    /** Reads the whole content through {@link InputFiles#read}, as a reader would. */
    private static long drain(Path file) {
        return InputFiles.read(file, InputException::new, in -> {
            byte[] buf = new byte[1 << 16];
            long total = 0;
            try (InputStream s = in.content()) {
                for (int n; (n = s.read(buf)) >= 0; ) {
                    total += n;
                }
            }
            return total;
        });
    }

    private static String text(Path file) {
        return InputFiles.text(file, InputException::new);
    }

    @Test
    void refusesAFifoAtOnceInsteadOfWaitingForAWriter() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("in.fifo"));
        String read = assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> drain(fifo)));
        String asText = assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> text(fifo)));
        String check = assertTimeoutPreemptively(AT_ONCE,
                () -> errorOf(() -> InputFiles.requireRegular(fifo, InputException::new)));

        assertThat(read).isEqualTo(fifo + ": is not a regular file (it is a FIFO)");
        assertThat(asText).isEqualTo(read);
        assertThat(check).isEqualTo(read);
    }

    @Test
    void refusesASymbolicLinkToAFifo() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("in.fifo"));
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), fifo);
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> drain(link))))
                .isEqualTo(link + ": is not a regular file (it is a FIFO)");
    }

    @Test
    void refusesADeviceThatWouldNeverEnd() {
        Path zero = Path.of("/dev/zero");
        assumeThat(Files.exists(zero)).as("/dev/zero").isTrue();
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> drain(zero))))
                .isEqualTo("/dev/zero: is not a regular file (it is a character device)");
        assertThat(assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> text(zero))))
                .isEqualTo("/dev/zero: is not a regular file (it is a character device)");
    }

    @Test
    void refusesADirectory() {
        assertThat(errorOf(() -> drain(dir))).isEqualTo(dir + ": is not a regular file (it is a directory)");
        assertThat(errorOf(() -> text(dir))).isEqualTo(dir + ": is not a regular file (it is a directory)");
    }

    @Test
    void readsTheFileASymbolicLinkPointsTo() throws IOException {
        Path real = Files.writeString(dir.resolve("real.yaml"), "a: 1\n");
        Path link = Files.createSymbolicLink(dir.resolve("link.yaml"), real);
        assertThat(text(link)).isEqualTo("a: 1\n");
        assertThat(drain(link)).isEqualTo(5);
    }

    @Test
    void aMissingFileOrBrokenLinkIsNoSuchFile() throws IOException {
        Path missing = dir.resolve("nope.csv");
        Path broken = Files.createSymbolicLink(dir.resolve("broken.csv"), dir.resolve("gone.csv"));
        assertThat(errorOf(() -> drain(missing))).isEqualTo(missing + ": no such file");
        assertThat(errorOf(() -> text(broken))).isEqualTo(broken + ": no such file");
    }

    @Test
    void anUnreadableFileIsPermissionDenied() throws IOException {
        Path file = Files.writeString(dir.resolve("secret.csv"), "a\n1\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeThat(Files.isReadable(file)).as("running as a user that permissions apply to").isFalse();
        assertThat(errorOf(() -> drain(file))).isEqualTo(file + ": permission denied");
    }

    @Test
    void recognisesGzipByItsFirstBytesNotItsName() throws IOException {
        Path gz = HostileFiles.write(dir.resolve("metrics.json"), HostileFiles.gzip("{\"auc\": 0.9}".getBytes(StandardCharsets.UTF_8)));
        Path plain = Files.writeString(dir.resolve("plain.csv.gz"), "a,b\n1,2\n");
        assertThat(text(gz)).isEqualTo("{\"auc\": 0.9}");
        assertThat(InputFiles.read(gz, InputException::new, InputFiles.Input::gzip)).isTrue();
        assertThat(text(plain)).isEqualTo("a,b\n1,2\n");
        assertThat(InputFiles.read(plain, InputException::new, InputFiles.Input::gzip)).isFalse();
    }

    @Test
    void aTruncatedGzipIsRefusedWhereverItWasCut() throws IOException {
        byte[] whole = HostileFiles.gzip("label,score\n1,0.9\n0,0.1\n".repeat(2000).getBytes(StandardCharsets.UTF_8));
        // in the header, in the deflate data, just before the trailer, and inside the trailer
        int[] cuts = {2, 7, 11, whole.length / 3, whole.length / 2, whole.length - 8, whole.length - 5, whole.length - 1};
        for (int cut : cuts) {
            Path file = HostileFiles.write(dir.resolve("cut-" + cut + ".gz"), Arrays.copyOf(whole, cut));
            HostileFiles.Attempt a = HostileFiles.attempt(() -> drain(file));
            assertThat(a.thrown()).as("cut at %d of %d", cut, whole.length).isInstanceOf(InputException.class);
            assertThat(a.thrown().getMessage()).as("cut at %d", cut)
                    .startsWith(file + ": gzip data is truncated or corrupt (").doesNotContain("\n");
            assertThat(a.allocated()).as("bytes allocated for a %d-byte file", cut).isLessThan(8L << 20);
        }
    }

    @Test
    void aGzipWhoseTrailerLiesIsRefused() throws IOException {
        byte[] whole = HostileFiles.gzip("a,b\n1,2\n".repeat(100).getBytes(StandardCharsets.UTF_8));
        Path huge = HostileFiles.write(dir.resolve("isize-huge.gz"), HostileFiles.withIsize(whole, -1));
        Path small = HostileFiles.write(dir.resolve("isize-small.gz"), HostileFiles.withIsize(whole, 3));
        Path crc = HostileFiles.write(dir.resolve("crc.gz"), HostileFiles.withBadCrc(whole));
        for (Path file : new Path[] {huge, small, crc}) {
            assertThat(errorOf(() -> drain(file))).isEqualTo(file + ": gzip data is truncated or corrupt (Corrupt GZIP trailer)");
        }
    }

    @Test
    void aGzipBombIsRefusedOnceItExpandsPastAThousandTimesItsSize() throws IOException {
        // 200 MB of newlines: about 200 KB compressed (deflate's limit is about 1032 to 1)
        byte[] bomb = HostileFiles.gzipBomb(new byte[0], (byte) '\n', 200L << 20);
        Path file = HostileFiles.write(dir.resolve("bomb.csv.gz"), bomb);

        HostileFiles.Attempt a = HostileFiles.attempt(() -> drain(file));

        assertThat(a.thrown()).isInstanceOf(InputException.class);
        assertThat(a.thrown().getMessage()).startsWith(file + ": gzip data expands to more than ")
                .endsWith("over 1000 times its compressed size: refused as a likely gzip bomb");
        assertThat(a.allocated()).isLessThan(8L << 20);
    }

    @Test
    void aSmallFileOfOneRepeatedByteIsNotABomb() throws IOException {
        // far above a thousand to one, but only 8 MB: under the allowance every file gets
        byte[] gz = HostileFiles.gzipBomb(new byte[0], (byte) '0', 8L << 20);
        assertThat((double) (8L << 20) / gz.length).isGreaterThan(InputFiles.MAX_EXPANSION);
        Path file = HostileFiles.write(dir.resolve("zeros.gz"), gz);
        assertThat(drain(file)).isEqualTo(8L << 20);
    }

    @Test
    void textDropsAByteOrderMark() throws IOException {
        Path file = HostileFiles.write(dir.resolve("bom.json"), concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                "{\"a\": 1}".getBytes(StandardCharsets.UTF_8)));
        assertThat(text(file)).isEqualTo("{\"a\": 1}");
    }

    @Test
    void textThatIsNotUtf8IsOneLineNamingTheByte() throws IOException {
        Path file = HostileFiles.write(dir.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(errorOf(() -> text(file))).isEqualTo(file + ": is not UTF-8 text (byte 10 is not part of a UTF-8 character)");
    }

    @Test
    void textLargerThanTheCapIsRefusedWithoutReadingItAll() throws IOException {
        Path file = dir.resolve("big.json");
        try (var out = Files.newOutputStream(file)) {
            byte[] block = new byte[1 << 20];
            Arrays.fill(block, (byte) ' ');
            for (int i = 0; i < 40; i++) {
                out.write(block);
            }
        }
        String message = file + ": is larger than 16 MB; a metrics, policy or configuration file is expected to be small";
        HostileFiles.Attempt plain = HostileFiles.attempt(() -> text(file));
        assertThat(plain.thrown()).hasMessage(message);
        assertThat(plain.allocated()).isLessThan(1L << 20);

        // compressed, its size says nothing: it is read until it passes the cap, and no further
        Path gz = HostileFiles.write(dir.resolve("big.json.gz"), HostileFiles.gzipBomb(new byte[0], (byte) ' ', 40L << 20));
        HostileFiles.Attempt compressed = HostileFiles.attempt(() -> text(gz));
        assertThat(compressed.thrown()).hasMessage(message.replace(file.toString(), gz.toString()));
        assertThat(compressed.allocated()).isLessThan(3L * InputFiles.MAX_TEXT_BYTES);
    }

    @Test
    void yamlWithAByteOrderMarkParses() throws IOException {
        Path file = HostileFiles.write(dir.resolve("policy.yaml"), concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf},
                "version: 1\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(Yaml.parse(file.toString(), Yaml.read(file, InputException::new), InputException::new).get("version").asInt())
                .isEqualTo(1);
        assertThat(Yaml.parse("s", "\uFEFFversion: 2\n", InputException::new).get("version").asInt()).isEqualTo(2);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
