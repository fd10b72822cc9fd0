package io.modelgate.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The library benchmark's comparisons on tiny inputs: each side gives the same answer (not timed). */
class LibraryBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void everyHandWrittenPieceAgreesWithTheLibraryItWasMeasuredAgainst() {
        List<String> progress = new ArrayList<>();
        LibraryBenchmark.Result r = LibraryBenchmark.run(dir, 4_000, 1, progress::add);

        assertThat(r.comparisons()).hasSize(12).allSatisfy(c -> {
            assertThat(c.same()).as(c.piece() + ": " + c.agreement()).isTrue();
            assertThat(c.ours().best()).isPositive();
            assertThat(c.theirs().best()).isPositive();
        });
        assertThat(r.describe()).contains("commons-csv").contains("Arrays.sort").contains("LevenshteinDistance")
                .contains("KolmogorovSmirnovTest").contains("ChiSquareTest").contains("MessageDigest")
                .doesNotContain("DIFFERENT");
        // SciPy's chisquare gives an infinite statistic for a category the reference never had; the library refuses it
        assertThat(r.comparison("chi-square").agreement()).contains("ours statistic Infinity, p 0.0")
                .contains("library refuses it");
    }

    @Test
    void commonsCsvReadsTheSameTableAsCsvTableReader() throws Exception {
        Path file = dir.resolve("t.csv");
        DriftBenchmark.generate(file, 500, 10, true);
        var columns = new java.util.LinkedHashMap<String, io.modelgate.metrics.ColumnKind>();
        for (String name : io.modelgate.metrics.CsvTableReader.header(file)) {
            columns.put(name, name.startsWith("c") ? io.modelgate.metrics.ColumnKind.TEXT
                    : io.modelgate.metrics.ColumnKind.NUMBER);
        }
        assertThat(LibraryBenchmark.sameTable(io.modelgate.metrics.CsvTableReader.read(file, columns, "", false),
                LibraryBenchmark.commonsCsvTable(file, columns))).isTrue();
    }
}
