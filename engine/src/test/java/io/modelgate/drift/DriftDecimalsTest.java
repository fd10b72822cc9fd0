package io.modelgate.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelgate.metrics.ColumnKind;
import io.modelgate.metrics.CsvTable;
import io.modelgate.metrics.CsvTableReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Drift.evaluate} reads number columns as decimals where it can; its verdict is the one the same
 * files read as doubles give, to the bit, also when one window is decimals and the other doubles, and
 * for the gate's metrics on the label and score columns.
 */
class DriftDecimalsTest {
    @TempDir
    Path dir;

    @Test
    void decimalAndDoubleWindowsGiveTheVerdictDoublesGive() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        StringBuilder ref = new StringBuilder("x,score,label,c\n");
        StringBuilder cur = new StringBuilder("x,score,label,c\n");
        for (int i = 0; i < 5000; i++) {
            ref.append(String.format(Locale.ROOT, "%.4f,%.3f,%d,k%d%n", r.nextGaussian() * 10, r.nextDouble(),
                    r.nextInt(2), r.nextInt(6)).replace(System.lineSeparator(), "\n"));
            // the current window as pandas writes floats: every digit, so read as doubles
            cur.append(r.nextGaussian() * 10 + 1).append(',').append(String.format(Locale.ROOT, "%.2f", r.nextDouble()))
                    .append(',').append(r.nextInt(2)).append(",k").append(r.nextInt(7)).append('\n');
        }
        Path refFile = Files.writeString(dir.resolve("ref.csv"), ref);
        Path curFile = Files.writeString(dir.resolve("cur.csv"), cur);
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        kinds.put("x", ColumnKind.NUMBER);
        kinds.put("score", ColumnKind.NUMBER);
        kinds.put("label", ColumnKind.NUMBER);
        kinds.put("c", ColumnKind.TEXT);

        CsvTable refDecimals = CsvTableReader.read(refFile, kinds, "", true);
        CsvTable curDecimals = CsvTableReader.read(curFile, kinds, "", true);
        assertThat(refDecimals.columns().get(0)).isInstanceOf(CsvTable.DecimalColumn.class);
        assertThat(curDecimals.columns().get(0)).as("a long float: the file is doubles")
                .isInstanceOf(CsvTable.NumberColumn.class);

        Instant at = Instant.parse("2026-11-26T00:00:00Z");
        DriftVerdict evaluated = Drift.evaluate(refFile, curFile, DriftPolicy.defaults(), at);
        CsvTable refDoubles = CsvTableReader.read(refFile, kinds, "");
        CsvTable curDoubles = CsvTableReader.read(curFile, kinds, "");
        DriftVerdict doubles = Drift.judge(refDoubles, curDoubles, DriftPolicy.defaults(), evaluated.inputs(), at);
        assertThat(evaluated.columns()).hasSize(4);
        for (int k = 0; k < 4; k++) {
            ColumnDrift a = evaluated.columns().get(k);
            ColumnDrift b = doubles.columns().get(k);
            assertThat(Double.doubleToLongBits(a.statistic())).as(a.column()).isEqualTo(Double.doubleToLongBits(b.statistic()));
            assertThat(a.histogram().reference()).as(a.column()).isEqualTo(b.histogram().reference());
            assertThat(a.outcome()).isEqualTo(b.outcome());
        }
        assertThat(evaluated.summary()).isEqualTo(doubles.summary());
        assertThat(evaluated.referenceMetrics().overall()).isNotEmpty().isEqualTo(doubles.referenceMetrics().overall());
        assertThat(evaluated.currentMetrics()).isEqualTo(doubles.currentMetrics());

        // both windows decimals, with different numbers of decimals
        Path curFixed = Files.writeString(dir.resolve("cur-fixed.csv"), ref.toString().replace("\n-", "\n-1"));
        assertThat(CsvTableReader.read(curFixed, kinds, "", true).columns().get(0)).isInstanceOf(CsvTable.DecimalColumn.class);
        DriftVerdict bothDecimals = Drift.evaluate(refFile, curFixed, DriftPolicy.defaults(), at);
        DriftVerdict bothDoubles = Drift.judge(refDoubles, CsvTableReader.read(curFixed, kinds, ""), DriftPolicy.defaults(),
                bothDecimals.inputs(), at);
        for (int k = 0; k < 4; k++) {
            assertThat(Double.doubleToLongBits(bothDecimals.columns().get(k).statistic()))
                    .isEqualTo(Double.doubleToLongBits(bothDoubles.columns().get(k).statistic()));
        }
        assertThat(bothDecimals.columns().get(0).statistic()).isGreaterThan(0);
    }
}
