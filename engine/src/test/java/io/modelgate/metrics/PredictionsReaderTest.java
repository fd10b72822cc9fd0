package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PredictionsReaderTest {
    @TempDir
    Path dir;

    private static final PredictionsFormat REGION =
            new PredictionsFormat("label", "score", List.of("region"), Task.CLASSIFICATION);

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private String errorOf(Path file, PredictionsFormat format) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> PredictionsReader.read(file, format));
        assertThat(t).isInstanceOf(MetricsException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    @Test
    void refusesASliceValueThatIsNotUtf8NamingTheLine() throws IOException {
        Path file = dir.resolve("latin1.csv");
        byte[] head = "label,score,region\n1,0.9,eu\n0,0.2,".getBytes(StandardCharsets.US_ASCII);
        byte[] bad = {'M', (byte) 0xE9, 'x', 'i', 'c', 'o', '\n'}; // "México" in Latin-1
        byte[] all = java.util.Arrays.copyOf(head, head.length + bad.length);
        System.arraycopy(bad, 0, all, head.length, bad.length);
        Files.write(file, all);
        assertThat(errorOf(file, REGION)).contains("latin1.csv").contains("line 3")
                .contains("column 'region' has a value that is not valid UTF-8");
    }

    @Test
    void readsLabelsScoresAndSlicesByHeaderName() throws IOException {
        Path file = write("preds.csv", "id,region,score,label\n1,eu,0.25,1\n2,us,0.5,0\n3,eu,1,0.0\n4,apac,0,true\n");
        Predictions p = PredictionsReader.read(file, REGION);
        assertThat(p.task()).isEqualTo(Task.CLASSIFICATION);
        assertThat(p.labels()).containsExactly(1, 0, 0, 1);
        assertThat(p.scores()).containsExactly(0.25, 0.5, 1, 0);
        assertThat(p.slices()).hasSize(1);
        assertThat(p.slices().get(0).name()).isEqualTo("region");
        assertThat(p.slices().get(0).values()).containsExactly("eu", "us", "apac");
        assertThat(p.slices().get(0).codes()).containsExactly(0, 1, 0, 2);
    }

    @Test
    void readsGzipByMagicBytesWhateverTheName() throws IOException {
        Path file = dir.resolve("preds.csv");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("label,score,region\n1,0.9,eu\n0,0.1,us\n".getBytes(StandardCharsets.UTF_8));
        }
        Predictions p = PredictionsReader.read(file, REGION);
        assertThat(p.labels()).containsExactly(1, 0);
        assertThat(p.scores()).containsExactly(0.9, 0.1);
        assertThat(p.slices().get(0).values()).containsExactly("eu", "us");
    }

    @Test
    void reportsLineNumbersInGzipFiles() throws IOException {
        Path file = dir.resolve("preds.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("label,score\n1,0.9\n0,abc\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(file + " line 3: score 'abc' is not a number");
    }

    @Test
    void rejectsTruncatedGzip() throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write("label,score\n1,0.9\n0,0.1\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = bytes.toByteArray();
        Path file = dir.resolve("preds.csv.gz");
        Files.write(file, java.util.Arrays.copyOf(all, all.length / 2));
        assertThat(errorOf(file, PredictionsFormat.defaults())).startsWith(file + ": gzip data is truncated or corrupt");
    }

    @Test
    void readsQuotedFieldsAndDoubledQuotes() throws IOException {
        Path file = write("preds.csv",
                "\"label\",\"the \"\"score\"\"\",\"region, country\"\n1,\"0.75\",\"eu, \"\"de\"\"\"\n0,0.5,plain\n");
        Predictions p = PredictionsReader.read(file,
                new PredictionsFormat("label", "the \"score\"", List.of("region, country"), Task.CLASSIFICATION));
        assertThat(p.scores()).containsExactly(0.75, 0.5);
        assertThat(p.slices().get(0).values()).containsExactly("eu, \"de\"", "plain");
    }

    @Test
    void readsCrlfLineEndingsWithoutTrailingNewline() throws IOException {
        Path file = write("preds.csv", "label,score,region\r\n1,0.9,eu\r\n0,0.1,us");
        Predictions p = PredictionsReader.read(file, REGION);
        assertThat(p.scores()).containsExactly(0.9, 0.1);
        assertThat(p.slices().get(0).values()).containsExactly("eu", "us");
    }

    @Test
    void skipsBlankLastLineAndBlankLines() throws IOException {
        Path file = write("preds.csv", "label,score\n1,0.9\n\n0,0.1\n\n");
        assertThat(PredictionsReader.read(file, PredictionsFormat.defaults()).labels()).containsExactly(1, 0);
    }

    @Test
    void readsRegressionLabels() throws IOException {
        Path file = write("preds.csv", "label,score\n-3.5,2e3\n1e-2,-0\n");
        Predictions p = PredictionsReader.read(file, new PredictionsFormat("label", "score", List.of(), Task.REGRESSION));
        assertThat(p.labels()).containsExactly(-3.5, 0.01);
        assertThat(p.scores()).containsExactly(2000, 0.0);
    }

    @Test
    void rejectsMissingFile() {
        Path file = dir.resolve("preds.csv");
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(file + ": no such file");
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path file = write("preds.csv", "");
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(file + ": file is empty");
        Path blank = write("blank.csv", "\n\n");
        assertThat(errorOf(blank, PredictionsFormat.defaults())).isEqualTo(blank + ": file is empty");
    }

    @Test
    void rejectsHeaderWithoutRows() throws IOException {
        Path file = write("preds.csv", "label,score\n");
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(file + ": has a header but no rows");
    }

    @Test
    void rejectsMissingColumnNamingTheColumnsAndTheFlag() throws IOException {
        Path file = write("preds.csv", "y,p,region\n1,0.5,eu\n");
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(
                file + ": no column 'label' in header (columns: y, p, region); set it with --label-column");
        Path other = write("other.csv", "label,p\n1,0.5\n");
        assertThat(errorOf(other, PredictionsFormat.defaults())).endsWith("set it with --score-column");
        Path slices = write("slices.csv", "label,score\n1,0.5\n");
        assertThat(errorOf(slices, REGION)).isEqualTo(
                slices + ": no column 'region' in header (columns: label, score); set it with --slice-column");
    }

    @Test
    void rejectsWrongFieldCount() throws IOException {
        Path file = write("preds.csv", "label,score,region,id\n1,0.5,eu,1\n0,0.5,eu,2\n1,0.1,eu,3\n0,0.2,eu,4\n1,0.3,eu\n");
        assertThat(errorOf(file, REGION)).isEqualTo(file + " line 6: expected 4 fields, found 3");
    }

    @Test
    void rejectsScoreThatIsNotANumber() throws IOException {
        StringBuilder csv = new StringBuilder("label,score\n");
        for (int i = 2; i < 17; i++) {
            csv.append("1,0.5\n");
        }
        csv.append("0,abc\n");
        Path file = write("preds.csv", csv.toString());
        assertThat(errorOf(file, PredictionsFormat.defaults())).isEqualTo(file + " line 17: score 'abc' is not a number");
    }

    @Test
    void rejectsNonFiniteAndEmptyScores() throws IOException {
        Path nan = write("nan.csv", "label,score\n1,NaN\n");
        assertThat(errorOf(nan, PredictionsFormat.defaults())).isEqualTo(nan + " line 2: score 'NaN' is not a finite number");
        PredictionsFormat regression = new PredictionsFormat("label", "score", List.of(), Task.REGRESSION);
        Path inf = write("inf.csv", "label,score\n1,0\n1,Infinity\n");
        assertThat(errorOf(inf, regression)).isEqualTo(inf + " line 3: score 'Infinity' is not a finite number");
        Path empty = write("empty.csv", "label,score\n1,\n");
        assertThat(errorOf(empty, PredictionsFormat.defaults())).isEqualTo(empty + " line 2: score is empty (expected a number)");
    }

    @Test
    void rejectsClassifierScoreOutsideZeroToOne() throws IOException {
        Path file = write("preds.csv", "label,p\n1,1.7\n");
        assertThat(errorOf(file, new PredictionsFormat("label", "p", List.of(), Task.CLASSIFICATION))).isEqualTo(
                file + " line 2: score (column 'p') '1.7' is outside [0, 1] (a classifier's scores must be probabilities of class 1)");
    }

    @Test
    void rejectsClassifierLabelOtherThanZeroOrOne() throws IOException {
        Path file = write("preds.csv", "label,score\n1,0.1\n0,0.2\n1,0.3\n0,0.4\n1,0.5\n0,0.6\n1,0.7\n2,0.8\n");
        assertThat(errorOf(file, PredictionsFormat.defaults()))
                .isEqualTo(file + " line 9: label '2' is not 0 or 1 (a classifier's labels must be 0/1)");
    }

    @Test
    void rejectsRegressionLabelThatIsNotANumber() throws IOException {
        Path file = write("preds.csv", "label,score\nx1,0.1\n");
        assertThat(errorOf(file, new PredictionsFormat("label", "score", List.of(), Task.REGRESSION)))
                .isEqualTo(file + " line 2: label 'x1' is not a number");
    }

    @Test
    void rejectsUnclosedQuote() throws IOException {
        Path file = write("preds.csv", "label,score,region\n1,0.5,\"eu\n0,0.5,us\n");
        assertThat(errorOf(file, REGION)).startsWith(file + " line 2: field 3 has an opening quote");
    }

    @Test
    void parsesAMillionGeneratedRowsInParallelChunks() throws IOException {
        int n = 1_000_000;
        Random random = new Random(5);
        double[] labels = new double[n];
        double[] scores = new double[n];
        String[] regions = {"north", "south", "east \"x\", y"};
        int[] codes = new int[n];
        Path file = dir.resolve("big.csv");
        StringBuilder csv = new StringBuilder(n * 24);
        csv.append("label,score,region\n");
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(2);
            scores[i] = random.nextInt(1_000_001) / 1e6;
            codes[i] = random.nextInt(3);
            String region = codes[i] == 2 ? "\"east \"\"x\"\", y\"" : regions[codes[i]];
            csv.append((int) labels[i]).append(',').append(scores[i]).append(',').append(region)
                    .append(i % 1000 == 999 ? "\r\n" : "\n");
        }
        Files.writeString(file, csv, StandardCharsets.UTF_8);
        assertThat(Files.size(file)).isGreaterThan(8L << 20); // large enough to be split over threads

        Predictions p = PredictionsReader.read(file, REGION);
        assertThat(p.size()).isEqualTo(n);
        assertThat(p.labels()).isEqualTo(labels);
        assertThat(p.scores()).isEqualTo(scores);
        List<String> values = p.slices().get(0).values();
        int[] read = p.slices().get(0).codes();
        for (int i = 0; i < n; i++) {
            if (!values.get(read[i]).equals(regions[codes[i]])) {
                throw new AssertionError("row " + i + ": " + values.get(read[i]) + " != " + regions[codes[i]]);
            }
        }
    }

    @Test
    void reportsTheRightLineInALaterChunk() throws IOException {
        int n = 700_000;
        StringBuilder csv = new StringBuilder("label,score\n");
        for (int i = 0; i < n; i++) {
            csv.append(i == n - 10 ? "1,oops\n" : "1,0.123456789\n");
        }
        Path file = write("late.csv", csv.toString());
        assertThat(errorOf(file, PredictionsFormat.defaults()))
                .isEqualTo(file + " line " + (n - 10 + 2) + ": score 'oops' is not a number");
    }

    @Test
    void doubleParserAgreesWithJdk() {
        Random random = new Random(9);
        for (int i = 0; i < 200_000; i++) {
            String text = switch (i % 6) {
                case 0 -> Double.toString(random.nextDouble());
                case 1 -> Double.toString(random.nextGaussian() * Math.pow(10, random.nextInt(60) - 30));
                case 2 -> String.format(java.util.Locale.ROOT, "%.6f", random.nextDouble());
                case 3 -> Long.toString(random.nextLong());
                case 4 -> (random.nextInt(100000) + "." + random.nextInt(100000)) + "e" + (random.nextInt(50) - 25);
                default -> "0.1234567890123456789" + random.nextInt(10);
            };
            assertThat(DoubleParser.parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
        assertThat(DoubleParser.parse(" 1.5 ")).isEqualTo(1.5);
        assertThat(DoubleParser.parse(".5")).isEqualTo(0.5);
        assertThat(DoubleParser.parse("-0")).isEqualTo(-0.0);
        assertThat(DoubleParser.parse("1e400")).isInfinite();
        assertThat(DoubleParser.parse("abc")).isNaN();
        assertThat(DoubleParser.parse("1.5f")).isNaN();
        assertThat(DoubleParser.parse("0x10")).isNaN();
        assertThat(DoubleParser.parse("1e")).isNaN();
        assertThat(DoubleParser.parse("-inf")).isEqualTo(Double.NEGATIVE_INFINITY);
    }
}
