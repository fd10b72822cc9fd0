package io.modelgate.lineage;

import io.modelgate.common.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class DatasetDigesterTest {
    /** SHA-256 of "abc", FIPS 180-2 appendix B.1. */
    private static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /** SHA-256 of no bytes. */
    private static final String SHA256_EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @TempDir
    Path tmp;

    private final DatasetDigester digester = new DatasetDigester(DigestCache.inMemory(), 4);

    @Test
    void digestsAFileToTheSha256OfItsBytes() throws IOException {
        Path f = Files.writeString(tmp.resolve("abc.txt"), "abc");

        Dataset d = digester.digest(f);

        assertThat(d.sha256()).isEqualTo(SHA256_ABC);
        assertThat(d.uri()).isEqualTo(f.toAbsolutePath().normalize().toString());
        assertThat(d.size()).isEqualTo(3);
        assertThat(d.files()).isEqualTo(1);
        assertThat(d.csvHeader()).isEmpty();
        assertThat(d.csvRows()).isEqualTo(-1);
        assertThat(d.isCsv()).isFalse();
    }

    @Test
    void digestsAnEmptyFile() throws IOException {
        assertThat(digester.digest(Files.createFile(tmp.resolve("empty"))).sha256()).isEqualTo(SHA256_EMPTY);
    }

    @Test
    void digestsAFileLargerThanTheReadBufferLikeCommonDigests() throws IOException {
        byte[] bytes = new byte[DatasetDigester.BUFFER * 2 + 12345];
        new Random(7).nextBytes(bytes);
        Path f = Files.write(tmp.resolve("big.bin"), bytes);

        Dataset d = digester.digest(f);

        assertThat(d.sha256()).isEqualTo(Digests.sha256(bytes)).isEqualTo(Digests.of(f).sha256());
        assertThat(d.size()).isEqualTo(bytes.length);
    }

    @Test
    void digestsALargeCsvFileReadAheadOnASecondThread() throws IOException {
        StringBuilder s = new StringBuilder("id,text\n");
        int rows = 0;
        while (s.length() < DigestPipeline.MIN_SIZE + 3 * DatasetDigester.BUFFER + 17) {
            s.append(rows).append(",").append("y".repeat(rows % 97)).append(rows % 10 == 0 ? "\r\n\n" : "\n");
            rows++;
        }
        Path f = Files.writeString(tmp.resolve("large.csv"), s);

        Dataset d = digester.digest(f);

        assertThat(d.sha256()).isEqualTo(Digests.of(f).sha256());
        assertThat(d.size()).isEqualTo(Files.size(f));
        assertThat(d.csvHeader()).containsExactly("id", "text");
        assertThat(d.csvRows()).isEqualTo(rows);
    }

    @Test
    void directoryDigestAgreesWithCommonDigests() throws IOException {
        Path dir = sampleDirectory();

        Dataset d = digester.digest(dir);
        Digests.Digest expected = Digests.of(dir);

        assertThat(d.sha256()).isEqualTo(expected.sha256());
        assertThat(d.size()).isEqualTo(expected.size());
        assertThat(d.files()).isEqualTo(expected.files()).isEqualTo(5);
        assertThat(d.csvRows()).isEqualTo(-1);
        assertThat(d.csvHeader()).isEmpty();
    }

    @Test
    void directoryDigestIsTheListingOfFileDigestsInSortedOrder() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("b.txt"), "abc");
        Files.writeString(dir.resolve("a.txt"), "");

        String listing = SHA256_EMPTY + "  a.txt\n" + SHA256_ABC + "  sub/b.txt\n";

        assertThat(digester.digest(dir).sha256()).isEqualTo(Digests.sha256(listing.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void parallelDirectoryDigestEqualsSequential() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("many"));
        Random r = new Random(3);
        for (int i = 0; i < 300; i++) {
            byte[] b = new byte[r.nextInt(5000)];
            r.nextBytes(b);
            Files.write(Files.createDirectories(dir.resolve("p" + i % 7)).resolve("f" + i + ".bin"), b);
        }

        Dataset sequential = new DatasetDigester(DigestCache.inMemory(), 1).digest(dir);
        Dataset parallel = new DatasetDigester(DigestCache.inMemory(), 8).digest(dir);

        assertThat(parallel).isEqualTo(sequential);
        assertThat(parallel.files()).isEqualTo(300);
        assertThat(parallel.sha256()).isEqualTo(Digests.of(dir).sha256());
    }

    @Test
    void changingOneByteOfADataSetChangesItsDigest() throws IOException {
        Path dir = sampleDirectory();
        String before = digester.digest(dir).sha256();
        Path f = dir.resolve("train/part-0.csv");
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);

        assertThat(new DatasetDigester(DigestCache.inMemory()).digest(dir).sha256()).isNotEqualTo(before);
    }

    @Test
    void renamingAFileChangesTheDirectoryDigest() throws IOException {
        Path dir = sampleDirectory();
        String before = digester.digest(dir).sha256();
        Files.move(dir.resolve("README"), dir.resolve("README.md"));

        assertThat(new DatasetDigester(DigestCache.inMemory()).digest(dir).sha256()).isNotEqualTo(before);
    }

    @Test
    void readsTheCsvHeaderAndCountsNonEmptyRows() throws IOException {
        Path f = Files.writeString(tmp.resolve("train.CSV"),
                "\uFEFFid,\"label\",\"name, full\",\"say \"\"hi\"\"\"\r\n1,0,a,x\r\n\r\n2,1,b,y\r\n3,1,c,z");

        Dataset d = digester.digest(f);

        assertThat(d.csvHeader()).containsExactly("id", "label", "name, full", "say \"hi\"");
        assertThat(d.csvRows()).isEqualTo(3);
        assertThat(d.isCsv()).isTrue();
        assertThat(d.sha256()).isEqualTo(Digests.of(f).sha256());
    }

    @Test
    void countsRowsAcrossReadBuffers() throws IOException {
        StringBuilder s = new StringBuilder("a,b\n");
        int rows = 0;
        while (s.length() < DatasetDigester.BUFFER * 2 + 100) {
            s.append(rows).append(",").append("x".repeat(rows % 50)).append('\n');
            rows++;
        }
        Path f = Files.writeString(tmp.resolve("long.csv"), s);

        Dataset d = digester.digest(f);

        assertThat(d.csvHeader()).containsExactly("a", "b");
        assertThat(d.csvRows()).isEqualTo(rows);
    }

    @Test
    void csvWithOnlyAHeaderHasNoRowsAndAnEmptyCsvHasNoHeader() throws IOException {
        assertThat(digester.digest(Files.writeString(tmp.resolve("h.csv"), "x,y")).csvRows()).isZero();
        Dataset empty = digester.digest(Files.writeString(tmp.resolve("e.csv"), ""));
        assertThat(empty.csvHeader()).isEmpty();
        assertThat(empty.csvRows()).isZero();
    }

    @Test
    void rejectsAMissingPathNamingItAsGiven() {
        Path missing = tmp.resolve("data").resolve("x.csv");

        assertThatThrownBy(() -> digester.digest(missing))
                .isInstanceOf(LineageException.class)
                .hasMessage(missing + ": no such file or directory")
                .satisfies(e -> assertThat(((LineageException) e).kind()).isEqualTo(LineageException.Kind.BAD_INPUT));
    }

    @Test
    void rejectsAnUnreadableFile() throws IOException {
        Path f = Files.writeString(Files.createDirectories(tmp.resolve("data")).resolve("secret.csv"), "a\n1\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(f), "running as root: root reads a file whatever its permissions, "
                + "so chmod 000 cannot make one unreadable");

        assertThatThrownBy(() -> digester.digest(f)).isInstanceOf(LineageException.class)
                .hasMessage(f + ": permission denied");
        assertThatThrownBy(() -> digester.digest(f.getParent())).isInstanceOf(LineageException.class)
                .hasMessage(f + ": permission denied");
    }

    @Test
    void rejectsASymbolicLinkLoopNamingTheLink() throws IOException {
        Path dir = sampleDirectory();
        Path link = Files.createSymbolicLink(dir.resolve("train/back"), Path.of(".."));

        assertThatThrownBy(() -> digester.digest(dir)).isInstanceOf(LineageException.class)
                .hasMessageStartingWith(link + ": symbolic link loop")
                .hasMessageContaining("points to ..")
                .hasMessageNotContaining("\n");
    }

    @Test
    void followsSymbolicLinksToFilesLikeCommonDigests() throws IOException {
        Path dir = sampleDirectory();
        Files.createSymbolicLink(dir.resolve("alias.txt"), dir.resolve("README"));
        Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));

        Dataset d = digester.digest(dir);

        assertThat(d.files()).isEqualTo(6);
        assertThat(d.sha256()).isEqualTo(Digests.of(dir).sha256());
    }

    @Test
    void skipsSocketsInADirectoryAndRejectsOneGivenDirectly() throws IOException {
        Path dir = sampleDirectory();
        String before = digester.digest(dir).sha256();
        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));

            assertThat(digester.digest(dir).sha256()).isEqualTo(before).isEqualTo(Digests.of(dir).sha256());
            assertThatThrownBy(() -> digester.digest(socket)).isInstanceOf(LineageException.class)
                    .hasMessage(socket + ": is not a regular file or directory (it is a socket)");
        }
    }

    @Test
    void cacheHitReturnsTheCachedDigestWithoutReadingTheFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n3,4\n");
        DatasetDigester cached = new DatasetDigester(DigestCache.inMemory(), 2);
        Dataset first = cached.digest(f);
        long read = cached.bytesRead();

        Dataset second = cached.digest(f);

        assertThat(second).isEqualTo(first);
        assertThat(cached.bytesRead()).isEqualTo(read);
        assertThat(cached.cacheHits()).isEqualTo(1);
    }

    @Test
    void sameSizeAndModificationTimeIsTrustedWhichShowsTheCacheKey() throws IOException {
        Path f = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n");
        FileTime mtime = Files.getLastModifiedTime(f);
        DatasetDigester cached = new DatasetDigester(DigestCache.inMemory(), 2);
        Dataset first = cached.digest(f);

        Files.writeString(f, "a,b\n9,9\n");
        Files.setLastModifiedTime(f, mtime);

        assertThat(cached.digest(f)).isEqualTo(first);
        assertThat(digester.digest(f).sha256()).isNotEqualTo(first.sha256());
    }

    @Test
    void aChangedByteWithANewModificationTimeIsReadAgain() throws IOException {
        Path f = Files.writeString(tmp.resolve("t.csv"), "a,b\n1,2\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-01T00:00:00.000000001Z")));
        DatasetDigester cached = new DatasetDigester(DigestCache.inMemory(), 2);
        Dataset first = cached.digest(f);

        Files.writeString(f, "a,b\n1,3\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2024-01-01T00:00:00.000000002Z")));
        Dataset second = cached.digest(f);

        assertThat(second.sha256()).isNotEqualTo(first.sha256()).isEqualTo(Digests.of(f).sha256());
        assertThat(cached.filesRead()).isEqualTo(2);
    }

    @Test
    void directoryRedigestReadsOnlyTheChangedFile() throws IOException {
        Path dir = sampleDirectory();
        DatasetDigester cached = new DatasetDigester(DigestCache.inMemory(), 4);
        Dataset first = cached.digest(dir);
        assertThat(cached.filesRead()).isEqualTo(5);

        assertThat(cached.digest(dir)).isEqualTo(first);
        assertThat(cached.filesRead()).isEqualTo(5);

        Path f = dir.resolve("README");
        Files.writeString(f, "changed");
        Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
        Dataset third = cached.digest(dir);

        assertThat(third.sha256()).isNotEqualTo(first.sha256()).isEqualTo(Digests.of(dir).sha256());
        assertThat(cached.filesRead()).isEqualTo(6);
        assertThat(cached.bytesRead()).isEqualTo(first.size() + "changed".length());
    }

    private Path sampleDirectory() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("ds"));
        Files.writeString(Files.createDirectories(dir.resolve("train")).resolve("part-0.csv"), "x,y\n1,2\n3,4\n");
        Files.writeString(dir.resolve("train/part-1.csv"), "x,y\n5,6\n");
        Files.writeString(Files.createDirectories(dir.resolve("test")).resolve("part-0.csv"), "x,y\n7,8\n");
        Files.write(dir.resolve("weights.bin"), new byte[]{0, 1, 2, (byte) 0xff});
        Files.writeString(dir.resolve("README"), "données\n", StandardCharsets.UTF_8);
        return dir;
    }
}
