package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.modelgate.common.HostileFiles;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predictions, table and metrics readers against files that lie about themselves, never end, or
 * break the rules of a header: every one is a one-line {@link MetricsException}, soon, in bounded memory.
 */
class HostileInputsTest {
    private static final Duration AT_ONCE = Duration.ofSeconds(5);
    /** Far more than any of these reads needs, far less than the gigabytes a size from a trailer gave. */
    private static final long BOUNDED = 100L << 20;
    private static final PredictionsFormat REGION =
            new PredictionsFormat("label", "score", List.of("region"), Task.CLASSIFICATION);

    @TempDir
    Path dir;

    /** The three ways a CSV is read: predictions, a table's columns (drift), a table's first rows (drift's types). */
    private static final Map<String, Function<Path, Object>> CSV_READERS = Map.of(
            "predictions", f -> PredictionsReader.read(f, PredictionsFormat.defaults()),
            "table", f -> CsvTableReader.read(f, Map.of("label", ColumnKind.NUMBER, "score", ColumnKind.NUMBER), ""),
            "decimal table", f -> CsvTableReader.read(f, Map.of("label", ColumnKind.NUMBER), "", true),
            "sniff", CsvTableReader::sniff);

    private static String errorOf(Runnable read) {
        Throwable t = catchThrowable(read::run);
        assertThat(t).isInstanceOf(MetricsException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static final String PREDICTIONS = "label,score\n1,0.9\n0,0.1\n";

    @Test
    void aTruncatedGzipIsRefusedWithoutSizingAnythingFromItsTrailer() throws IOException {
        byte[] whole = HostileFiles.gzip(PREDICTIONS.repeat(1000).getBytes(StandardCharsets.UTF_8));
        // the last four bytes of a cut file are whatever deflate data was there: the old readers took
        // them for the uncompressed length and allocated up to 4 GB
        int[] cuts = {whole.length / 4, whole.length / 2, whole.length * 3 / 4, whole.length - 8, whole.length - 6,
            whole.length - 3, whole.length - 1};
        for (int cut : cuts) {
            Path file = HostileFiles.write(dir.resolve("cut-" + cut + ".csv.gz"), Arrays.copyOf(whole, cut));
            CSV_READERS.forEach((reader, read) -> {
                HostileFiles.Attempt a = HostileFiles.attempt(() -> read.apply(file));
                assertThat(a.thrown()).as("%s, cut at %d of %d", reader, cut, whole.length).isInstanceOf(MetricsException.class);
                if (!reader.equals("sniff")) { // sniff reads the first megabyte only: here, all of it
                    assertThat(a.thrown().getMessage()).startsWith(file + ": gzip data is truncated or corrupt (");
                }
                assertThat(a.allocated()).as("%s, cut at %d", reader, cut).isLessThan(BOUNDED);
            });
        }
    }

    @Test
    void aGzipWhoseTrailerClaimsFourGigabytesIsRefusedInBoundedMemory() throws IOException {
        byte[] whole = HostileFiles.gzip(PREDICTIONS.repeat(1000).getBytes(StandardCharsets.UTF_8));
        Path file = HostileFiles.write(dir.resolve("lies.csv.gz"), HostileFiles.withIsize(whole, -1));
        CSV_READERS.forEach((reader, read) -> {
            if (reader.equals("sniff")) {
                return;
            }
            HostileFiles.Attempt a = HostileFiles.attempt(() -> read.apply(file));
            assertThat(a.thrown()).as(reader).hasMessage(file + ": gzip data is truncated or corrupt (Corrupt GZIP trailer)");
            assertThat(a.allocated()).as(reader).isLessThan(BOUNDED);
        });
    }

    @Test
    void twoHundredMegabytesOfZerosCompressedStopAtTheLineCap() throws IOException {
        Path bare = HostileFiles.write(dir.resolve("zeros.gz"), HostileFiles.gzipBomb(new byte[0], (byte) 0, 200L << 20));
        Path headed = HostileFiles.write(dir.resolve("headed.gz"),
                HostileFiles.gzipBomb("label,score\n".getBytes(StandardCharsets.US_ASCII), (byte) 0, 200L << 20));
        CSV_READERS.forEach((reader, read) -> {
            HostileFiles.Attempt a = HostileFiles.attempt(() -> read.apply(bare));
            assertThat(a.thrown()).as(reader).hasMessage(bare + " line 1: header line is longer than 16 MB");
            assertThat(a.allocated()).as(reader).isLessThan(BOUNDED);
            if (!reader.equals("sniff")) {
                HostileFiles.Attempt b = HostileFiles.attempt(() -> read.apply(headed));
                assertThat(b.thrown()).as(reader).hasMessage(headed + " line 2: line is longer than 16 MB (is this a CSV file?)");
                assertThat(b.allocated()).as(reader).isLessThan(BOUNDED);
            }
        });
    }

    @Test
    void aGzipBombOfBlankLinesIsRefusedAsOne() throws IOException {
        Path file = HostileFiles.write(dir.resolve("blank.gz"), HostileFiles.gzipBomb(new byte[0], (byte) '\n', 200L << 20));
        CSV_READERS.forEach((reader, read) -> {
            HostileFiles.Attempt a = HostileFiles.attempt(() -> read.apply(file));
            assertThat(a.thrown()).as(reader).isInstanceOf(MetricsException.class);
            assertThat(a.thrown().getMessage()).as(reader).startsWith(file + ": gzip data expands to more than ")
                    .endsWith("refused as a likely gzip bomb");
            assertThat(a.allocated()).as(reader).isLessThan(BOUNDED);
        });
    }

    @Test
    void aHugeSparseFileOfZerosIsRefusedAtItsFirstLongLineNotReadToTheEnd() throws IOException {
        Path file = write("sparse.csv", "label,score\n1,0.5\n");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(8L << 30); // 8 GB, nearly all a hole of zeros
        }
        CSV_READERS.forEach((reader, read) -> {
            if (reader.equals("sniff")) {
                return;
            }
            String message = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> errorOf(() -> read.apply(file)));
            assertThat(message).as(reader).isEqualTo(file + " line 3: line is longer than 16 MB (is this a CSV file?)");
        });
    }

    @Test
    void aFifoADeviceOrADirectoryIsRefusedAtOnce() throws Exception {
        Path fifo = HostileFiles.fifo(dir.resolve("preds.fifo"));
        for (Path file : List.of(fifo, Path.of("/dev/zero"), dir)) {
            if (!Files.exists(file)) {
                continue;
            }
            CSV_READERS.forEach((reader, read) -> {
                String message = assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> read.apply(file)));
                assertThat(message).as(reader).startsWith(file + ": is not a regular file (it is a");
            });
            String metrics = assertTimeoutPreemptively(AT_ONCE, () -> errorOf(() -> MetricsFileReader.read(file)));
            assertThat(metrics).startsWith(file + ": is not a regular file (it is a");
        }
    }

    @Test
    void aSymbolicLinkToARegularFileIsRead() throws IOException {
        Path real = write("real.csv", PREDICTIONS);
        Path link = Files.createSymbolicLink(dir.resolve("link.csv"), real);
        assertThat(PredictionsReader.read(link, PredictionsFormat.defaults()).scores()).containsExactly(0.9, 0.1);
        assertThat(CsvTableReader.header(link)).containsExactly("label", "score");
        Path metrics = Files.createSymbolicLink(dir.resolve("m.json"), write("real.json", "{\"auc\": 0.5}"));
        assertThat(MetricsFileReader.read(metrics).overall()).containsEntry("roc_auc", 0.5);
    }

    @Test
    void aColumnNamedTwiceInAHeaderIsAnErrorNamingIt() throws IOException {
        Path file = write("dup.csv", "label,score,region,score\n1,0.9,eu,0.8\n");
        CSV_READERS.forEach((reader, read) -> assertThat(errorOf(() -> read.apply(file))).as(reader).isEqualTo(
                file + " line 1: column 'score' appears twice in the header (fields 2 and 4); give each column its own name"));
        assertThat(errorOf(() -> CsvTableReader.header(file))).contains("column 'score' appears twice");
        // names are compared as they are read: spaces around an unquoted name do not count
        Path spaced = write("spaced.csv", "\n\nlabel, score ,score\n1,0.9,0.8\n");
        assertThat(errorOf(() -> PredictionsReader.read(spaced, PredictionsFormat.defaults())))
                .isEqualTo(spaced + " line 3: column 'score' appears twice in the header (fields 2 and 3); "
                        + "give each column its own name");
        Path empty = write("empty-names.csv", "label,score,,\n1,0.9,a,b\n");
        assertThat(errorOf(() -> PredictionsReader.read(empty, PredictionsFormat.defaults())))
                .contains("column '' appears twice in the header (fields 3 and 4)");
    }

    @Test
    void aByteOrderMarkBeforeTheHeaderIsDropped() throws IOException {
        Path file = dir.resolve("bom.csv");
        Files.write(file, ("\uFEFF" + PREDICTIONS).getBytes(StandardCharsets.UTF_8));
        assertThat(CsvTableReader.header(file)).containsExactly("label", "score");
        assertThat(CsvTableReader.sniff(file)).containsOnlyKeys("label", "score");
        assertThat(PredictionsReader.read(file, PredictionsFormat.defaults()).labels()).containsExactly(1, 0);
        Path gz = HostileFiles.write(dir.resolve("bom.csv.gz"), HostileFiles.gzip(Files.readAllBytes(file)));
        assertThat(CsvTableReader.header(gz)).containsExactly("label", "score");
    }

    @Test
    void aRowLongerThanTheCapIsAnErrorNamingItsLine() throws IOException {
        String longField = "x".repeat(CsvChunkParser.MAX_LINE_BYTES + 1);
        Path file = write("long.csv", "label,score,region\n1,0.9,eu\n0,0.1," + longField + "\n1,0.5,us\n");
        assertThat(errorOf(() -> PredictionsReader.read(file, REGION)))
                .isEqualTo(file + " line 3: line is longer than 16 MB (is this a CSV file?)");
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        kinds.put("label", ColumnKind.NUMBER);
        assertThat(errorOf(() -> CsvTableReader.read(file, kinds, "")))
                .isEqualTo(file + " line 3: line is longer than 16 MB (is this a CSV file?)");
        // just under the cap is a line like any other (the column is not read)
        Path fits = write("fits.csv", "label,score,note\n1,0.9," + "y".repeat(CsvChunkParser.MAX_LINE_BYTES - 8) + "\n");
        assertThat(PredictionsReader.read(fits, PredictionsFormat.defaults()).scores()).containsExactly(0.9);
    }

    @Test
    void aTextValueLongerThanTheCapIsAnErrorNamingLineAndColumn() throws IOException {
        String value = "v".repeat(CsvChunkParser.MAX_VALUE_BYTES + 1);
        Path file = write("value.csv", "label,score,region\n1,0.9,eu\n0,0.1," + value + "\n");
        String expected = file + " line 3: column 'region' has a value of 65537 bytes; text values may be at most 64 KB";
        assertThat(errorOf(() -> PredictionsReader.read(file, REGION))).isEqualTo(expected);
        assertThat(errorOf(() -> CsvTableReader.read(file, Map.of("region", ColumnKind.TEXT), ""))).isEqualTo(expected);
        Path quoted = write("quoted.csv", "label,score,region\n1,0.9,\"" + value.substring(1) + "\"\"\"\n");
        assertThat(errorOf(() -> PredictionsReader.read(quoted, REGION))).isEqualTo(
                quoted + " line 2: column 'region' has a value of 65537 bytes; text values may be at most 64 KB");
        Path fits = write("fits.csv", "label,score,region\n1,0.9," + value.substring(1) + "\n");
        assertThat(PredictionsReader.read(fits, REGION).slices().get(0).values()).containsExactly(value.substring(1));
    }

    @Test
    void aHeaderOfMoreThanAHundredThousandColumnsIsRefused() throws IOException {
        StringBuilder header = new StringBuilder("label,score");
        for (int i = 0; i < CsvChunkParser.MAX_COLUMNS; i++) {
            header.append(",c").append(i);
        }
        Path file = write("wide.csv", header + "\n");
        assertThat(errorOf(() -> PredictionsReader.read(file, PredictionsFormat.defaults())))
                .isEqualTo(file + " line 1: the header has more than 100000 columns");
    }

    @Test
    void metricsJsonWithContentAfterTheDocumentIsBadInput() throws IOException {
        for (String trailing : List.of("{\"auc\": 0.9} {\"auc\": 0.1}", "{\"auc\": 0.9}}", "{\"auc\": 0.9}\n,",
                "{\"auc\": 0.9}\nthen text", "{\"auc\": 0.9} []")) {
            Path file = write("m.json", trailing);
            assertThat(errorOf(() -> MetricsFileReader.read(file))).as(trailing).startsWith(file + " line ")
                    .endsWith(": unexpected content after the JSON document");
        }
        Path file = write("m.json", "{\"auc\": 0.9}\n  \n");
        assertThat(MetricsFileReader.read(file).overall()).containsEntry("roc_auc", 0.9);
    }

    @Test
    void metricsJsonWhoseTopLevelIsNotAnObjectIsBadInput() throws IOException {
        Path array = write("a.json", "[{\"auc\": 0.9}]");
        assertThat(errorOf(() -> MetricsFileReader.read(array)))
                .isEqualTo(array + ": expected a JSON object of metric names to numbers, found an array");
        Path scalar = write("s.json", "0.9");
        assertThat(errorOf(() -> MetricsFileReader.read(scalar)))
                .isEqualTo(scalar + ": expected a JSON object of metric names to numbers, found a number");
        Path string = write("t.json", "\"auc\"");
        assertThat(errorOf(() -> MetricsFileReader.read(string)))
                .isEqualTo(string + ": expected a JSON object of metric names to numbers, found a string");
        Path nothing = write("n.json", "null");
        assertThat(errorOf(() -> MetricsFileReader.read(nothing)))
                .isEqualTo(nothing + ": expected a JSON object of metric names to numbers, found null");
        // without the .json name, a bare value is read as CSV, and is not CSV metrics either
        Path bare = write("m.txt", "0.9");
        assertThat(errorOf(() -> MetricsFileReader.read(bare))).startsWith(bare + " line 1: ");
    }

    @Test
    void metricsWithAByteOrderMarkAreRead() throws IOException {
        Path json = dir.resolve("bom.json");
        Files.write(json, "\uFEFF{\"auc\": 0.9}".getBytes(StandardCharsets.UTF_8));
        assertThat(MetricsFileReader.read(json).overall()).containsEntry("roc_auc", 0.9);
        Path csv = dir.resolve("bom.csv");
        Files.write(csv, "\uFEFFmetric,value\nauc,0.8\n".getBytes(StandardCharsets.UTF_8));
        assertThat(MetricsFileReader.read(csv).overall()).containsEntry("roc_auc", 0.8);
    }

    @Test
    void aMetricsCsvHeaderNamingAColumnTwiceIsBadInput() throws IOException {
        Path file = write("m.csv", "metric,value,value\nauc,0.9,0.8\n");
        assertThat(errorOf(() -> MetricsFileReader.read(file)))
                .isEqualTo(file + " line 1: column 'value' appears twice in the header");
    }
}
