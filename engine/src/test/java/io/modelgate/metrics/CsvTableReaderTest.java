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
        assertThatThrownBy(() -> CsvTableReader.read(file, Map.of("a", ColumnKind.NUMBER), "", true))
                .as("read as decimals").isInstanceOf(MetricsException.class)
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

    /**
     * Read as decimals, every number comes back as the double it is read as otherwise ({@code -0.0} as
     * {@code 0.0}): plain decimals, trailing zeros, quoted and spaced ones, exponents, missing words; a
     * column with one decimal in its first half and three in its second, so stretches have different
     * scales; and a column of whole numbers.
     */
    @Test
    void decimalColumnsHoldTheValuesTheTextIsReadAs() throws IOException {
        SplittableRandom r = new SplittableRandom(19);
        int rows = 200_000;
        StringBuilder csv = new StringBuilder("x,t,y,i\n");
        for (int i = 0; i < rows; i++) {
            String x = switch (r.nextInt(40)) {
                case 0 -> "NA";
                case 1 -> "";
                case 2 -> "-0.0000";
                case 3 -> "\"" + r.nextInt(100) + ".5\"";
                case 4 -> " " + r.nextInt(100) + ".25 ";
                case 5 -> r.nextInt(9) + "e-3";
                case 6 -> r.nextInt(100) + ".5000";
                default -> String.format(Locale.ROOT, "%.4f", r.nextGaussian() * 100);
            };
            String y = String.format(Locale.ROOT, i < rows / 2 ? "%.1f" : "%.3f", r.nextGaussian() * 1000);
            csv.append(x).append(",t").append(r.nextInt(4)).append(',').append(y).append(',')
                    .append(r.nextInt(-50_000, 50_000)).append(r.nextInt(60) == 0 ? "\r\n" : "\n");
        }
        Path file = dir.resolve("decimals.csv");
        Files.writeString(file, csv, StandardCharsets.US_ASCII);
        Map<String, ColumnKind> kinds = kinds("x", "t", "y", "i");
        CsvTable doubles = CsvTableReader.read(file, kinds, "");
        CsvTable decimals = CsvTableReader.read(file, kinds, "", true);
        assertThat(decimals.rows()).isEqualTo(rows);
        int[] scales = {4, -1, 3, 0};
        for (int c : new int[] {0, 2, 3}) {
            assertThat(decimals.columns().get(c)).isInstanceOf(CsvTable.DecimalColumn.class);
            CsvTable.DecimalColumn d = (CsvTable.DecimalColumn) decimals.columns().get(c);
            CsvTable.NumberColumn n = (CsvTable.NumberColumn) doubles.columns().get(c);
            assertThat(d.scale()).as(d.name()).isEqualTo(scales[c]);
            assertThat(d.missing()).as(d.name()).isEqualTo(n.missing());
            assertSameValues(d, n);
        }
        CsvTable.TextColumn text = (CsvTable.TextColumn) decimals.columns().get(1);
        assertThat(text.values()).isEqualTo(((CsvTable.TextColumn) doubles.columns().get(1)).values());
        assertThat(Arrays.copyOf(text.codes(), rows)).containsExactly(
                Arrays.copyOf(((CsvTable.TextColumn) doubles.columns().get(1)).codes(), rows));
        assertThat(((CsvTable.NumberColumn) doubles.columns().get(0)).missing()).isGreaterThan(rows / 40);

        Path gz = dir.resolve("decimals.csv.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(csv.toString().getBytes(StandardCharsets.US_ASCII));
        }
        CsvTable gzipped = CsvTableReader.read(gz, kinds, "", true);
        assertSameValues((CsvTable.DecimalColumn) gzipped.columns().get(2), (CsvTable.NumberColumn) doubles.columns().get(2));
    }

    /**
     * A value no int holds at nine decimals or fewer, late in the file, makes the reader read the file
     * again as doubles; whole numbers too big for a larger scale in one stretch make only that column doubles.
     */
    @Test
    void whatNoDecimalHoldsIsReadAsDoubles() throws IOException {
        for (String late : new String[] {"0.1234567891", "3000000000", "1e-12"}) {
            StringBuilder csv = new StringBuilder("x,y\n");
            int rows = 150_000;
            for (int i = 0; i < rows; i++) {
                csv.append(i == rows - 10 ? late : i / 100 + "." + i % 100).append(',').append(i % 10).append('\n');
            }
            Path file = dir.resolve("late.csv");
            Files.writeString(file, csv, StandardCharsets.US_ASCII);
            Path gz = dir.resolve("late.csv.gz");
            try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
                out.write(csv.toString().getBytes(StandardCharsets.US_ASCII));
            }
            for (Path f : List.of(file, gz)) {
                CsvTable t = CsvTableReader.read(f, kinds("x", "y"), "", true);
                assertThat(t.columns()).as(late + " in " + f).allMatch(c -> c instanceof CsvTable.NumberColumn);
                assertThat(((CsvTable.NumberColumn) t.columns().get(0)).values()[rows - 10]).isEqualTo(Double.parseDouble(late));
                assertThat(((CsvTable.NumberColumn) t.columns().get(0)).values()[rows - 11]).isEqualTo((rows - 11) / 100.0);
            }
        }

        StringBuilder csv = new StringBuilder("big,x\n");
        int rows = 400_000; // over 4 MB, so read in stretches; the big numbers and the halves are in different ones
        for (int i = 0; i < rows; i++) {
            String big = i < rows / 2 ? Integer.toString(2_000_000_000 + i) : i < rows * 9 / 10 ? "7" : "0.5";
            csv.append(big).append(',').append(i / 3).append('.').append(i % 3 * 33).append('\n');
        }
        Path file = dir.resolve("big.csv");
        Files.writeString(file, csv, StandardCharsets.US_ASCII);
        CsvTable doubles = CsvTableReader.read(file, kinds("big", "x"), "");
        CsvTable t = CsvTableReader.read(file, kinds("big", "x"), "", true);
        assertThat(t.columns().get(0)).isInstanceOf(CsvTable.NumberColumn.class);
        assertThat(Arrays.equals(((CsvTable.NumberColumn) t.columns().get(0)).values(), 0, rows,
                ((CsvTable.NumberColumn) doubles.columns().get(0)).values(), 0, rows)).isTrue();
        assertSameValues((CsvTable.DecimalColumn) t.columns().get(1), (CsvTable.NumberColumn) doubles.columns().get(1));
    }

    @Test
    void sortsUnitsAsArraysSortsTheirValues() {
        SplittableRandom r = new SplittableRandom(23);
        RadixSort.Scratch scratch = new RadixSort.Scratch();
        for (int round = 0; round < 30; round++) {
            int n = 1 + (round >= 25 ? 100_000 : r.nextInt(round < 10 ? 300 : 20_000));
            int[] units = new int[n + 5];
            int missing = 0;
            int spread = round % 3 == 0 ? Integer.MAX_VALUE : round % 3 == 1 ? n : 7; // radix sorted, counted, few values
            for (int i = 0; i < n; i++) {
                units[i] = r.nextInt(-spread + 1, spread);
                if (r.nextInt(25) == 0) {
                    units[i] = CsvTable.DecimalColumn.MISSING;
                    missing++;
                }
            }
            units[n] = 5; // past the rows: not data
            CsvTable.DecimalColumn column = new CsvTable.DecimalColumn("u", units, round % 10, n, missing);
            double[] expected = new double[n - missing];
            for (int i = 0, k = 0; i < n; i++) {
                if (units[i] != CsvTable.DecimalColumn.MISSING) {
                    expected[k++] = column.value(i);
                }
            }
            Arrays.sort(expected);
            assertThat(RadixSort.sortedUnitsReusing(column, scratch, round % 2)).as("round %d", round).isEqualTo(expected);
        }
    }

    private static void assertSameValues(CsvTable.DecimalColumn decimal, CsvTable.NumberColumn doubles) {
        assertThat(decimal.rows()).isEqualTo(doubles.rows());
        for (int i = 0; i < doubles.rows(); i++) {
            double v = doubles.values()[i] + 0.0;
            if (Double.doubleToLongBits(decimal.value(i)) != Double.doubleToLongBits(v)) {
                assertThat(decimal.value(i)).as("%s row %d", decimal.name(), i).isEqualTo(v);
            }
        }
    }

    private static Map<String, ColumnKind> kinds(String... names) {
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        for (String name : names) {
            kinds.put(name, name.startsWith("t") ? ColumnKind.TEXT : ColumnKind.NUMBER);
        }
        return kinds;
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
            CsvTable.DecimalColumn units = (CsvTable.DecimalColumn) CsvTableReader.read(file, kinds, "", true).columns().get(0);
            for (int i = 0; i < rows; i++) {
                if (units.units()[i] != i) {
                    assertThat(units.units()[i]).as("row %d, read as decimals", i).isEqualTo(i);
                }
            }

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
