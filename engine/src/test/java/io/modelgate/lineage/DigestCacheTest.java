package io.modelgate.lineage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class DigestCacheTest {
    @TempDir
    Path tmp;

    @Test
    void savedCacheIsLoadedAndSparesReadingUnchangedFiles() throws IOException {
        Path data = dataSet();
        Path cacheFile = tmp.resolve(".modelgate/digest-cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        Dataset first = new DatasetDigester(cache).digest(data);
        cache.save();

        DigestCache reloaded = DigestCache.load(cacheFile);
        DatasetDigester again = new DatasetDigester(reloaded);
        Dataset second = again.digest(data);
        Dataset csv = again.digest(data.resolve("a.csv"));

        assertThat(reloaded.ignored()).isEmpty();
        assertThat(reloaded.size()).isEqualTo(3);
        assertThat(second).isEqualTo(first);
        assertThat(csv.csvHeader()).containsExactly("x", "y\tz");
        assertThat(csv.csvRows()).isEqualTo(2);
        assertThat(again.bytesRead()).isZero();
        assertThat(again.cacheHits()).isEqualTo(4);
    }

    @Test
    void keepsPathsWithTabsNewlinesAndBackslashes() throws IOException {
        Path odd = Files.writeString(Files.createDirectories(tmp.resolve("a\tb\\c")).resolve("line\nbreak.csv"),
                "h\\1,\"h\n2\"\n1,2\n");
        Path cacheFile = tmp.resolve("cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        Dataset first = new DatasetDigester(cache).digest(odd);
        cache.save();

        DatasetDigester again = new DatasetDigester(DigestCache.load(cacheFile));

        assertThat(again.digest(odd)).isEqualTo(first);
        assertThat(again.bytesRead()).isZero();
    }

    @Test
    void aCorruptCacheFileIsIgnoredAndReplacedOnSave() throws IOException {
        Path data = dataSet();
        Path cacheFile = tmp.resolve("cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        Dataset expected = new DatasetDigester(cache).digest(data);
        cache.save();
        String good = Files.readString(cacheFile);

        for (String bad : List.of("garbage\n", good.replaceFirst("[0-9a-f]{64}", "nothex"),
                good.substring(0, good.length() / 2), good.replace("\nend\t3\n", "\nend\t4\n"), "")) {
            Files.writeString(cacheFile, bad);
            DigestCache loaded = DigestCache.load(cacheFile);
            DatasetDigester digester = new DatasetDigester(loaded);

            assertThat(loaded.ignored()).as(bad).isPresent();
            assertThat(loaded.size()).isZero();
            assertThat(digester.digest(data)).isEqualTo(expected);
            assertThat(digester.filesRead()).isEqualTo(3);
            loaded.save();
            assertThat(DigestCache.load(cacheFile).ignored()).isEmpty();
        }
        Files.write(cacheFile, new byte[]{(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(DigestCache.load(cacheFile).ignored()).get().asString().contains("not");
    }

    @Test
    void aMissingCacheFileIsAnEmptyCacheWithoutComplaint() {
        DigestCache cache = DigestCache.load(tmp.resolve("none/cache.tsv"));

        assertThat(cache.ignored()).isEmpty();
        assertThat(cache.size()).isZero();
    }

    @Test
    void entriesOfDeletedFilesAreDroppedOnSave() throws IOException {
        Path data = dataSet();
        Path cacheFile = tmp.resolve("cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        new DatasetDigester(cache).digest(data);
        cache.save();
        Files.delete(data.resolve("b.bin"));

        DigestCache later = DigestCache.load(cacheFile);
        later.save();

        assertThat(DigestCache.load(cacheFile).size()).isEqualTo(2);
    }

    @Test
    void savingLeavesNoTemporaryFiles() throws IOException {
        Path cacheFile = tmp.resolve("c/cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        new DatasetDigester(cache).digest(dataSet());
        cache.save();
        cache.save();

        try (var files = Files.list(cacheFile.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("cache.tsv");
        }
    }

    @Test
    void concurrentSavesNeverLeaveATornFile() throws Exception {
        Path data = dataSet();
        Path cacheFile = tmp.resolve("cache.tsv");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> saves = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                saves.add(pool.submit((Callable<Void>) () -> {
                    for (int i = 0; i < 25; i++) {
                        DigestCache c = DigestCache.load(cacheFile);
                        new DatasetDigester(c, 1).digest(data);
                        c.save();
                        assertThat(DigestCache.load(cacheFile).ignored()).isEmpty();
                    }
                    return null;
                }));
            }
            for (Future<?> f : saves) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        DigestCache last = DigestCache.load(cacheFile);
        assertThat(last.ignored()).isEmpty();
        assertThat(last.size()).isEqualTo(3);
    }

    @Test
    void startsWithAVersionLine() throws IOException {
        Path cacheFile = tmp.resolve("cache.tsv");
        DigestCache cache = DigestCache.load(cacheFile);
        new DatasetDigester(cache).digest(dataSet());
        cache.save();

        assertThat(Files.readAllLines(cacheFile, StandardCharsets.UTF_8)).first().isEqualTo(DigestCache.MAGIC);
    }

    private Path dataSet() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(dir.resolve("a.csv"), "x,\"y\tz\"\n1,2\n3,4\n");
        Files.write(dir.resolve("b.bin"), new byte[]{1, 2, 3});
        Files.writeString(Files.createDirectories(dir.resolve("sub")).resolve("c.txt"), "c");
        return dir;
    }
}
