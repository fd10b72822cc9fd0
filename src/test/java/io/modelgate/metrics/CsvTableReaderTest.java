package io.modelgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table reader's one-pass line parser gives what the general path and {@code Double.parseDouble} give. */
class CsvTableReaderTest {
    @TempDir
    Path dir;

    /** Numbers of every shape the fast path takes or hands on, in a file big enough for parallel chunks. */
    @Test
    void readsEveryNumberAsParseDoubleDoes() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        int rows = 120_000;
        String[][] cells = new String[rows][3];
        StringBuilder csv = new StringBuilder("a,b,c\n");
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < 3; c++) {
                cells[i][c] = c == 1 ? "cat" + r.nextInt(5) : number(r);
            }
            String b = r.nextInt(50) == 0 ? "\"" + cells[i][1] + "\"" : cells[i][1];
            csv.append(cells[i][0]).append(',').append(b).append(',').append(cells[i][2])
                    .append(r.nextInt(40) == 0 ? "\r\n" : "\n");
        }
        Path file = dir.resolve("t.csv");
        Files.writeString(file, csv, StandardCharsets.US_ASCII);
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        kinds.put("a", ColumnKind.NUMBER);
        kinds.put("b", ColumnKind.TEXT);
        kinds.put("c", ColumnKind.NUMBER);
        CsvTable t = CsvTableReader.read(file, kinds, "");
        assertThat(t.rows()).isEqualTo(rows);
        double[] a = ((CsvTable.NumberColumn) t.columns().get(0)).values();
        CsvTable.TextColumn b = (CsvTable.TextColumn) t.columns().get(1);
        double[] c = ((CsvTable.NumberColumn) t.columns().get(2)).values();
        for (int i = 0; i < rows; i++) {
            assertThat(Double.doubleToLongBits(a[i])).as("row %d: %s", i, cells[i][0]).isEqualTo(Double.doubleToLongBits(expected(cells[i][0])));
            assertThat(Double.doubleToLongBits(c[i])).as("row %d: %s", i, cells[i][2]).isEqualTo(Double.doubleToLongBits(expected(cells[i][2])));
            assertThat(b.values().get(b.codes()[i])).isEqualTo(cells[i][1]);
        }
    }

    @Test
    void aBadNumberStillNamesTheLineAndColumn() throws IOException {
        StringBuilder csv = new StringBuilder("a,b\n");
        for (int i = 0; i < 100; i++) {
            csv.append(i).append(".25,x\n");
        }
        csv.append("12.5x,y\n");
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, csv);
        assertThatThrownBy(() -> CsvTableReader.read(file, Map.of("a", ColumnKind.NUMBER), ""))
                .isInstanceOf(MetricsException.class)
                .hasMessageContaining("line 102").hasMessageContaining("'a'").hasMessageContaining("12.5x");
    }

    @Test
    void sortsDecimalsAndOtherDoublesAsArraysSortDoes() {
        SplittableRandom r = new SplittableRandom(11);
        RadixSort.Scratch scratch = new RadixSort.Scratch();
        double[] previous = null;
        for (int round = 0; round < 40; round++) {
            int n = 1 + (round >= 35 ? 100_000 : r.nextInt(round < 20 ? 600 : 20_000)); // the last: several stretches
            double[] values = new double[n];
            int nans = 0;
            int scale = r.nextInt(7);
            for (int i = 0; i < n; i++) {
                double v = switch (round % 5) {
                    case 4 -> r.nextInt(n) / 100.0 - 3;                                 // dense: counted
                    case 0 -> Math.round(r.nextGaussian() * 1e6) / Math.pow(10, scale); // one scale
                    case 1 -> expected(number(r));                                     // mixed scales, NaN
                    case 2 -> r.nextGaussian() * Math.exp(r.nextInt(40) - 20);          // arbitrary doubles
                    default -> r.nextInt(3) - 1 + (r.nextBoolean() ? -0.0 : 0.0);      // few values, signed zeros
                };
                if (r.nextInt(30) == 0) {
                    v = Double.NaN;
                }
                nans += v != v ? 1 : 0;
                values[i] = v;
            }
            double[] expected = Arrays.stream(values).filter(v -> v == v).map(v -> v + 0.0).sorted().toArray();
            double[] sorted = RadixSort.sortedFinite(values, nans);
            assertThat(sorted).as("round %d", round).containsExactly(expected);
            double[] reused = RadixSort.sortedFiniteReusing(values, values.length, nans, scratch, round % 2);
            assertThat(reused).as("round %d, reusing", round).containsExactly(expected);
            if (previous != null && previous.length == reused.length && round % 2 == 1) {
                assertThat(reused).isNotSameAs(previous); // the other slot
            }
            previous = reused;
        }
        double[] once = RadixSort.sortedFiniteReusing(new double[] {3, 1, 2}, 3, 0, scratch, 0);
        double[] again = RadixSort.sortedFiniteReusing(new double[] {9, Double.NaN, 7, 8, -1, -2}, 4, 1, scratch, 0);
        assertThat(again).as("only the first 4 values, one of them NaN").isSameAs(once).containsExactly(7, 8, 9);
    }

    private static double expected(String text) {
        String s = text.strip().toLowerCase(Locale.ROOT);
        return s.isEmpty() || s.equals("na") || s.equals("nan") ? Double.NaN : Double.parseDouble(text.strip());
    }

    /**
     * The first 64 KB (what the regions are sized by) has long lines and the rest short ones, so the
     * stretches outgrow their regions and move to columns of their own; a second file the other way
     * round leaves most of each region empty. Rows come back complete and in order either way, and a
     * bad line still gets its true line number.
     */
    @Test
    void rowsComeBackInOrderWhetherTheLineLengthEstimateIsLowOrHigh() throws IOException {
        for (boolean longFirst : new boolean[] {true, false}) {
            StringBuilder csv = new StringBuilder("id,tag,pad\n");
            int rows = 400_000;
            int firstBlock = 0;
            for (int i = 0; i < rows; i++) {
                boolean head = csv.length() < 70_000;
                firstBlock += head ? 1 : 0;
                String pad = head == longFirst ? "x".repeat(120) : "y";
                csv.append(i).append(',').append("t").append(i % 7).append(',').append(pad).append('\n');
            }
            Path file = dir.resolve("estimate-" + longFirst + ".csv");
            Files.writeString(file, csv, StandardCharsets.US_ASCII);
            Map<String, ColumnKind> kinds = new LinkedHashMap<>();
            kinds.put("id", ColumnKind.NUMBER);
            kinds.put("tag", ColumnKind.TEXT);
            CsvTable t = CsvTableReader.read(file, kinds, "");
            assertThat(t.rows()).isEqualTo(rows);
            CsvTable.NumberColumn id = (CsvTable.NumberColumn) t.columns().get(0);
            CsvTable.TextColumn tag = (CsvTable.TextColumn) t.columns().get(1);
            assertThat(id.rows()).isEqualTo(rows);
            for (int i = 0; i < rows; i++) {
                assertThat(id.values()[i]).as("row %d", i).isEqualTo(i);
                assertThat(tag.values().get(tag.codes()[i])).isEqualTo("t" + (i % 7));
            }
            assertThat(firstBlock).isLessThan(rows / 10);

            String bad = csv.toString().replace("\n" + (rows - 5) + ",", "\nfive,");
            Path badFile = dir.resolve("bad-" + longFirst + ".csv");
            Files.writeString(badFile, bad, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> CsvTableReader.read(badFile, kinds, ""))
                    .hasMessageStartingWith(badFile + " line " + (rows - 5 + 2) + ": column 'id'");
        }
    }

    private static String number(SplittableRandom r) {
        List<String> shapes = new ArrayList<>(List.of(
                String.format(Locale.ROOT, "%.4f", r.nextGaussian() * 100),
                String.format(Locale.ROOT, "%.2f", r.nextGaussian() * 1e6),
                Long.toString(r.nextLong(-1_000_000, 1_000_000)),
                String.format(Locale.ROOT, "%.9f", r.nextDouble()),
                Double.toString(r.nextGaussian() * Math.exp(r.nextInt(60) - 30)),
                "0." + r.nextInt(10), "." + r.nextInt(100), r.nextInt(100) + ".", "-0", "-0.0",
                "12345678.5", "1234567.1234567", "123456789012.25", "9007199254740993", "0.12345678901234567",
                " " + r.nextInt(100) + ".5 ", "1e3", "2.5E-3", "+4.25", "NA", "", "nan"));
        return shapes.get(r.nextInt(shapes.size()));
    }
}
