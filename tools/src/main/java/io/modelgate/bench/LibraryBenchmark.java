package io.modelgate.bench;

import io.modelgate.drift.DriftStatistics;
import io.modelgate.lineage.DatasetDigester;
import io.modelgate.lineage.DigestCache;
import io.modelgate.metrics.ColumnKind;
import io.modelgate.metrics.CsvTable;
import io.modelgate.metrics.CsvTableReader;
import io.modelgate.metrics.DoubleParser;
import io.modelgate.metrics.Predictions;
import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.metrics.PredictionsReader;
import io.modelgate.metrics.RadixSort;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.statistics.inference.ChiSquareTest;
import org.apache.commons.statistics.inference.KolmogorovSmirnovTest;
import org.apache.commons.statistics.inference.SignificanceResult;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Each hand-written piece that a well-kept library could replace, measured against that library on the
 * same input, with a check that both give the same answer (docs/architecture.md, "Hand-written pieces and
 * why"; figures in docs/performance.md).
 *
 * <p>Every comparison runs {@code rounds} times, ours and the library's alternately (so a burst of load
 * from elsewhere hits both), in this warm JVM; the first round also warms the JIT. Reported are the best
 * round (least disturbed) and the median; the ratio is the library's best time over ours (above 1: ours
 * is faster). Generated input files are kept in the work directory and reused.
 */
public final class LibraryBenchmark {
    static final long SEED = 0x6c69627261727973L;
    /** The drift table has this many rows per million predictions rows (commons-csv is slow on wide rows). */
    private static final int DRIFT_COLUMNS = 20;
    private static final int CHI_SQUARE_REPEATS = 100_000;

    private LibraryBenchmark() {
    }

    /** Two timings: the best round and the median, seconds. */
    public record Timing(double best, double median) {
        static Timing of(List<Double> seconds) {
            double[] s = seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            return new Timing(s[0], s[s.length / 2]);
        }
    }

    /**
     * One piece against one library.
     *
     * @param piece     what is compared (our class)
     * @param library   the library call it was measured against
     * @param input     what both were given
     * @param ours      our timing
     * @param theirs    the library's timing
     * @param same      whether both gave the same answer (for the KS test: the same statistic)
     * @param agreement what was compared, and any difference
     */
    public record Comparison(String piece, String library, String input, Timing ours, Timing theirs, boolean same,
                             String agreement) {
        /** The library's best time over ours: above 1, ours is faster. */
        public double ratio() {
            return theirs.best() / ours.best();
        }
    }

    /** What one run measured. */
    public record Result(int rows, int rounds, List<Comparison> comparisons, int cores, String java) {
        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "library benchmark: %,d rows, best of %d rounds (median), in one warm JVM%n",
                    rows, rounds));
            for (Comparison c : comparisons) {
                b.append(String.format(Locale.ROOT, "  %s%n    input    %s%n", c.piece(), c.input()));
                b.append(String.format(Locale.ROOT, "    ours     %s%n", seconds(c.ours())));
                b.append(String.format(Locale.ROOT, "    library  %s  %s%n", seconds(c.theirs()), c.library()));
                b.append(String.format(Locale.ROOT, "    ratio    %.2f (library / ours; above 1 ours is faster)  %s: %s%n",
                        c.ratio(), c.same() ? "same" : "DIFFERENT", c.agreement()));
            }
            b.append(String.format(Locale.ROOT, "  %d cores, Java %s", cores, java));
            return b.toString();
        }

        private static String seconds(Timing t) {
            return String.format(Locale.ROOT, "%9.4f s  (median %.4f s)", t.best(), t.median());
        }

        /** The comparison of {@code piece}, which must be there. */
        public Comparison comparison(String piece) {
            return comparisons.stream().filter(c -> c.piece().startsWith(piece)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no comparison " + piece));
        }
    }

    /**
     * Runs every comparison.
     *
     * @param rows   rows of the predictions CSV and values of the number and sort inputs (1,000,000 by
     *               default); the drift table has a quarter as many rows, of 20 columns
     * @param rounds timed rounds of each side, at least 1
     */
    public static Result run(Path workDir, int rows, int rounds, Consumer<String> progress) {
        if (rows < 100 || rounds < 1) {
            throw new IllegalArgumentException("rows must be at least 100 and rounds at least 1");
        }
        try {
            Files.createDirectories(workDir);
            List<Comparison> out = new ArrayList<>();
            out.add(predictionsCsv(workDir, rows, rounds, progress));
            out.add(driftTable(workDir, Math.max(100, rows / 4), rounds, progress));
            out.add(decimals(rows, rounds, progress));
            out.add(sortDecimals(rows, rounds, progress));
            out.add(sortDoubles(rows, rounds, progress));
            out.add(sortKeys(rows, rounds, progress));
            out.add(suggest(rounds, progress));
            out.add(ks(1_000, rounds, progress));
            out.add(ks(10_000, rounds, progress));
            out.add(ks(rows, rounds, progress));
            out.add(chiSquare(rounds, progress));
            out.add(digest(workDir, Math.max(1, rows / 4_000), rounds, progress));
            return new Result(rows, rounds, List.copyOf(out), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- timing

    private record Pair<A, B>(A ours, B theirs, Timing oursTime, Timing theirsTime) {
    }

    /** Both tasks {@code rounds} times, alternately; the results of the last round. */
    private static <A, B> Pair<A, B> alternate(int rounds, Supplier<A> ours, Supplier<B> theirs) {
        List<Double> a = new ArrayList<>();
        List<Double> b = new ArrayList<>();
        A ra = null;
        B rb = null;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            ra = ours.get();
            long t1 = System.nanoTime();
            rb = theirs.get();
            long t2 = System.nanoTime();
            a.add((t1 - t0) / 1e9);
            b.add((t2 - t1) / 1e9);
        }
        return new Pair<>(ra, rb, Timing.of(a), Timing.of(b));
    }

    // ---------------------------------------------------------------- CSV

    private static Comparison predictionsCsv(Path workDir, int rows, int rounds, Consumer<String> progress)
            throws IOException {
        Path file = workDir.resolve("library-bench-predictions-" + rows + ".csv");
        if (!Files.isRegularFile(file)) {
            progress.accept("generating " + file);
            GateBenchmark.generate(file, rows);
        }
        progress.accept("predictions CSV: PredictionsReader against commons-csv");
        PredictionsFormat format = PredictionsFormat.defaults().withSlices(List.of("region"));
        Pair<Predictions, Predictions> p = alternate(rounds, () -> PredictionsReader.read(file, format),
                () -> commonsCsvPredictions(file));
        Predictions ours = p.ours();
        Predictions theirs = p.theirs();
        boolean same = Arrays.equals(ours.labels(), theirs.labels()) && Arrays.equals(ours.scores(), theirs.scores())
                && sameText(ours.slices().get(0).values(), ours.slices().get(0).codes(),
                theirs.slices().get(0).values(), theirs.slices().get(0).codes(), ours.size());
        return new Comparison("predictions CSV (metrics/PredictionsReader, CsvChunkParser)",
                "commons-csv CSVParser, Double.parseDouble per field, one thread", String.format(Locale.ROOT,
                "%,d rows label,score,region, %.1f MB (gate benchmark's generator)", rows, Files.size(file) / 1e6),
                p.oursTime(), p.theirsTime(), same, "every label, score (bit for bit) and region");
    }

    /** The predictions as a reader written on commons-csv would read them. */
    static Predictions commonsCsvPredictions(Path file) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            Map<String, Integer> header = parser.getHeaderMap();
            int label = header.get("label");
            int score = header.get("score");
            int region = header.get("region");
            Doubles labels = new Doubles();
            Doubles scores = new Doubles();
            Codes codes = new Codes();
            for (CSVRecord rec : parser) {
                labels.add(Double.parseDouble(rec.get(label)));
                scores.add(Double.parseDouble(rec.get(score)));
                codes.add(rec.get(region));
            }
            return new Predictions(io.modelgate.metrics.Task.CLASSIFICATION, labels.toArray(), scores.toArray(),
                    List.of(new Predictions.SliceColumn("region", codes.values(), codes.toArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Comparison driftTable(Path workDir, int rows, int rounds, Consumer<String> progress)
            throws IOException {
        Path file = workDir.resolve("library-bench-table-" + rows + "x" + DRIFT_COLUMNS + ".csv");
        if (!Files.isRegularFile(file)) {
            progress.accept("generating " + file);
            DriftBenchmark.generate(file, rows, DRIFT_COLUMNS, false);
        }
        progress.accept("drift table: CsvTableReader against commons-csv");
        Map<String, ColumnKind> columns = new LinkedHashMap<>();
        for (String name : CsvTableReader.header(file)) {
            columns.put(name, name.startsWith("c") ? ColumnKind.TEXT : ColumnKind.NUMBER);
        }
        Pair<CsvTable, CsvTable> p = alternate(rounds, () -> CsvTableReader.read(file, columns, "", false),
                () -> commonsCsvTable(file, columns));
        boolean same = sameTable(p.ours(), p.theirs());
        return new Comparison("drift table (metrics/CsvTableReader, TableChunkParser)",
                "commons-csv CSVParser, Double.parseDouble per number field, one thread", String.format(Locale.ROOT,
                "%,d rows x %d columns (16 numbers with 4 decimals, 4 categories), %.1f MB (drift benchmark's generator)",
                rows, DRIFT_COLUMNS, Files.size(file) / 1e6), p.oursTime(), p.theirsTime(), same,
                "every value of every column (numbers bit for bit)");
    }

    static CsvTable commonsCsvTable(Path file, Map<String, ColumnKind> columns) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
            Map<String, Integer> header = parser.getHeaderMap();
            List<String> names = new ArrayList<>(columns.keySet());
            int n = names.size();
            int[] index = new int[n];
            boolean[] number = new boolean[n];
            Doubles[] doubles = new Doubles[n];
            Codes[] codes = new Codes[n];
            for (int k = 0; k < n; k++) {
                index[k] = header.get(names.get(k));
                number[k] = columns.get(names.get(k)) == ColumnKind.NUMBER;
                doubles[k] = new Doubles();
                codes[k] = new Codes();
            }
            int rows = 0;
            for (CSVRecord rec : parser) {
                for (int k = 0; k < n; k++) {
                    String v = rec.get(index[k]);
                    if (number[k]) {
                        doubles[k].add(Double.parseDouble(v));
                    } else {
                        codes[k].add(v);
                    }
                }
                rows++;
            }
            List<CsvTable.Column> out = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                out.add(number[k] ? new CsvTable.NumberColumn(names.get(k), doubles[k].toArray(), 0)
                        : new CsvTable.TextColumn(names.get(k), codes[k].values(), codes[k].toArray(), rows, 0));
            }
            return new CsvTable(file.toString(), rows, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean sameTable(CsvTable a, CsvTable b) {
        if (a.rows() != b.rows() || a.columns().size() != b.columns().size()) {
            return false;
        }
        for (int k = 0; k < a.columns().size(); k++) {
            CsvTable.Column x = a.columns().get(k);
            CsvTable.Column y = b.columns().get(k);
            if (x instanceof CsvTable.NumberColumn nx && y instanceof CsvTable.NumberColumn ny) {
                if (!Arrays.equals(nx.values(), 0, a.rows(), ny.values(), 0, a.rows())) {
                    return false;
                }
            } else if (x instanceof CsvTable.TextColumn tx && y instanceof CsvTable.TextColumn ty) {
                if (!sameText(tx.values(), tx.codes(), ty.values(), ty.codes(), a.rows())) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return true;
    }

    private static boolean sameText(List<String> va, int[] ca, List<String> vb, int[] cb, int rows) {
        for (int i = 0; i < rows; i++) {
            if (!va.get(ca[i]).equals(vb.get(cb[i]))) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- numbers

    private static Comparison decimals(int count, int rounds, Consumer<String> progress) {
        progress.accept("decimals: DoubleParser against Double.parseDouble");
        // What the readers meet: scores with six decimals, measurements with four, a tenth in full precision.
        SplittableRandom r = new SplittableRandom(SEED);
        StringBuilder text = new StringBuilder(count * 12);
        int[] bounds = new int[count + 1];
        for (int i = 0; i < count; i++) {
            int kind = i % 10;
            if (kind < 5) {
                text.append(String.format(Locale.ROOT, "%.6f", r.nextDouble()));
            } else if (kind < 9) {
                text.append(String.format(Locale.ROOT, "%.4f", 50 + 10 * r.nextGaussian()));
            } else {
                text.append(Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(-12, 12))));
            }
            bounds[i + 1] = text.length();
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.ISO_8859_1);
        Pair<double[], double[]> p = alternate(rounds, () -> {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = DoubleParser.parse(bytes, bounds[i], bounds[i + 1]);
            }
            return v;
        }, () -> {
            double[] v = new double[count];
            for (int i = 0; i < count; i++) {
                v[i] = Double.parseDouble(new String(bytes, bounds[i], bounds[i + 1] - bounds[i],
                        StandardCharsets.ISO_8859_1));
            }
            return v;
        });
        return new Comparison("decimal parsing (metrics/DoubleParser)",
                "Double.parseDouble(new String(bytes, from, length)), as a reader holding bytes must call it",
                String.format(Locale.ROOT, "%,d numbers: half 0.dddddd, 4 in 10 dd.dddd, 1 in 10 Double.toString of any size",
                        count), p.oursTime(), p.theirsTime(), Arrays.equals(p.ours(), p.theirs()),
                "every double bit for bit");
    }

    private static Comparison sortDecimals(int count, int rounds, Consumer<String> progress) {
        progress.accept("sort a decimal column: RadixSort.sortedFinite against Arrays.sort / Arrays.parallelSort");
        SplittableRandom r = new SplittableRandom(SEED + 1);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = Math.round((50 + 10 * gauss(r)) * 10_000) / 10_000.0;
        }
        return sortComparison("sort a decimal column (metrics/RadixSort.sortedFinite, drift)",
                String.format(Locale.ROOT, "%,d values with 4 decimals, normal(50, 10), as a drift column", count), v, rounds);
    }

    private static Comparison sortDoubles(int count, int rounds, Consumer<String> progress) {
        progress.accept("sort arbitrary doubles: RadixSort.sortedFinite against Arrays.sort / Arrays.parallelSort");
        SplittableRandom r = new SplittableRandom(SEED + 2);
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = gauss(r) * Math.exp(3 * r.nextDouble());
        }
        return sortComparison("sort arbitrary doubles (metrics/RadixSort.sortedFinite, any column)",
                String.format(Locale.ROOT, "%,d doubles in full precision (normal times log-uniform scale)", count), v, rounds);
    }

    private static Comparison sortComparison(String piece, String input, double[] v, int rounds) {
        Pair<double[], double[]> p = alternate(rounds, () -> RadixSort.sortedFinite(v, 0), () -> {
            double[] c = v.clone();
            Arrays.sort(c);
            return c;
        });
        Pair<double[], double[]> q = alternate(rounds, () -> RadixSort.sortedFinite(v, 0), () -> {
            double[] c = v.clone();
            Arrays.parallelSort(c);
            return c;
        });
        Timing ours = better(p.oursTime(), q.oursTime());
        boolean same = Arrays.equals(p.ours(), p.theirs()) && Arrays.equals(q.ours(), q.theirs());
        return new Comparison(piece, String.format(Locale.ROOT,
                "Arrays.sort on a copy; Arrays.parallelSort: best %.4f s (median %.4f s)",
                q.theirsTime().best(), q.theirsTime().median()),
                input, ours, p.theirsTime(), same, "the sorted arrays, element for element (with the copy counted)");
    }

    private static Comparison sortKeys(int count, int rounds, Consumer<String> progress) {
        progress.accept("sort 64-bit keys: RadixSort.sort against Arrays.sort(long[])");
        SplittableRandom r = new SplittableRandom(SEED + 3);
        long[] keys = new long[count];
        for (int i = 0; i < count; i++) {
            double score = Math.round(1_000_000 / (1 + Math.exp(-2 * gauss(r)))) / 1e6;
            keys[i] = RadixSort.key(score);
        }
        long[] tmp = new long[count];
        Pair<long[], long[]> p = alternate(rounds, () -> {
            long[] c = keys.clone();
            RadixSort.sort(c, 0, c.length, tmp);
            return c;
        }, () -> {
            long[] c = keys.clone();
            Arrays.sort(c);
            return c;
        });
        return new Comparison("sort 64-bit keys (metrics/RadixSort.sort, the gate's ROC order)",
                "Arrays.sort(long[]) on a copy", String.format(Locale.ROOT,
                "%,d keys of six-decimal scores (RadixSort.key)", count), p.oursTime(), p.theirsTime(),
                Arrays.equals(p.ours(), p.theirs()), "the sorted keys");
    }

    // ---------------------------------------------------------------- did you mean

    /** Keys and metric names the readers suggest among. */
    static final String[] CANDIDATES = {"metric", "threshold", "min_absolute_change", "min_relative_change",
        "greater_is_better", "severity", "slices", "min_slice_size", "baseline", "policy", "roc_auc", "log_loss",
        "accuracy", "precision", "recall", "f1", "rmse", "mae", "r2", "pr_auc", "brier", "weight", "interval",
        "failure_limit", "max_weight", "step_weight", "judge", "tolerated_ratio", "alpha", "columns", "method"};
    private static final int SUGGEST_LOOKUPS = 100_000;

    private static Comparison suggest(int rounds, Consumer<String> progress) {
        progress.accept("did you mean: the former hand-written edit distance against commons-text LevenshteinDistance (Suggest.closest)");
        SplittableRandom r = new SplittableRandom(SEED + 7);
        String[] words = new String[1_000];
        for (int i = 0; i < words.length; i++) {
            char[] w = CANDIDATES[r.nextInt(CANDIDATES.length)].toCharArray();
            for (int e = r.nextInt(4); e > 0; e--) { // 0-3 typos: a letter changed
                w[r.nextInt(w.length)] = (char) ('a' + r.nextInt(26));
            }
            words[i] = i % 7 == 0 ? new String(w).toUpperCase(Locale.ROOT) : new String(w);
        }
        Pair<List<String>, List<String>> p = alternate(rounds, () -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < SUGGEST_LOOKUPS; i++) {
                out.add(formerClosest(words[i % words.length], CANDIDATES));
            }
            return out;
        }, () -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < SUGGEST_LOOKUPS; i++) {
                out.add(io.modelgate.common.Suggest.closest(words[i % words.length], CANDIDATES).orElse(""));
            }
            return out;
        });
        return new Comparison("did you mean (common/Suggest's edit distance; REPLACED, ours is the former one)",
                "commons-text LevenshteinDistance.getDefaultInstance(), as common/Suggest.closest now calls it",
                String.format(Locale.ROOT, "%,d look-ups of words with 0-3 typos among %d keys and metric names",
                        SUGGEST_LOOKUPS, CANDIDATES.length), p.oursTime(), p.theirsTime(), p.ours().equals(p.theirs()),
                "every suggestion (or none)");
    }

    /**
     * Suggest's rule on the edit distance it computed itself until this benchmark found commons-text's as
     * fast (kept here only so that the decision can be measured again).
     */
    static String formerClosest(String word, String... candidates) {
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = formerDistance(lower, c);
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        int limit = Math.max(2, word.length() / 3);
        return bestDistance > 0 && bestDistance <= limit && bestDistance < Math.min(word.length(), best.length())
                ? best : "";
    }

    private static int formerDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // ---------------------------------------------------------------- statistics

    private static Comparison ks(int n, int rounds, Consumer<String> progress) {
        progress.accept("KS test on " + n + " + " + n + " values: DriftStatistics.ks against KolmogorovSmirnovTest");
        SplittableRandom r = new SplittableRandom(SEED + 4 + n);
        double[] a = new double[n];
        double[] b = new double[n];
        double shift = 3.0 / Math.sqrt(n) * 0.5;
        for (int i = 0; i < n; i++) {
            a[i] = Math.round(gauss(r) * 10_000) / 10_000.0;
            b[i] = Math.round((gauss(r) + shift) * 10_000) / 10_000.0;
        }
        KolmogorovSmirnovTest test = KolmogorovSmirnovTest.withDefaults();
        Pair<DriftStatistics.Test, SignificanceResult> p = alternate(rounds,
                () -> DriftStatistics.ks(RadixSort.sortedFinite(a, 0), RadixSort.sortedFinite(b, 0)),
                () -> test.test(a, b));
        double d = p.ours().statistic();
        boolean same = Math.abs(d - p.theirs().getStatistic()) <= 1e-12;
        return new Comparison("two-sample KS test (drift/DriftStatistics.ks, KolmogorovDistribution)",
                "commons-statistics-inference KolmogorovSmirnovTest.withDefaults().test(a, b)", String.format(Locale.ROOT,
                "%,d + %,d values with 4 decimals (ties), shifted by %.4f; ours sorts them first (timed)", n, n, shift),
                p.oursTime(), p.theirsTime(), same, String.format(Locale.ROOT,
                "statistic D ours %.17g, library %.17g; p-value ours %.17g (scipy.stats.ks_2samp's, method auto), "
                        + "library %.17g (relative difference %.1e)", d, p.theirs().getStatistic(), p.ours().pValue(),
                p.theirs().getPValue(), Math.abs(p.ours().pValue() - p.theirs().getPValue()) / p.ours().pValue()));
    }

    private static Comparison chiSquare(int rounds, Consumer<String> progress) {
        progress.accept("chi-square: DriftStatistics.chiSquare against ChiSquareTest");
        SplittableRandom r = new SplittableRandom(SEED + 5);
        int k = 12;
        double[][] observed = new double[64][k];
        long[][] observedLong = new long[64][k];
        double[][] expected = new double[64][k];
        for (int t = 0; t < observed.length; t++) {
            long total = 0;
            double[] ref = new double[k];
            double refTotal = 0;
            for (int c = 0; c < k; c++) {
                observedLong[t][c] = 50L + r.nextInt(1_000);
                observed[t][c] = observedLong[t][c];
                total += observedLong[t][c];
                ref[c] = 50 + r.nextInt(1_000);
                refTotal += ref[c];
            }
            for (int c = 0; c < k; c++) {
                expected[t][c] = ref[c] * total / refTotal; // Evidently: reference shares scaled to the current count
            }
        }
        ChiSquareTest test = ChiSquareTest.withDefaults();
        Pair<double[], double[]> p = alternate(rounds, () -> {
            double[] s = new double[2];
            for (int i = 0; i < CHI_SQUARE_REPEATS; i++) {
                DriftStatistics.Test x = DriftStatistics.chiSquare(observed[i & 63], expected[i & 63]);
                s[0] += x.statistic();
                s[1] += x.pValue();
            }
            return s;
        }, () -> {
            double[] s = new double[2];
            for (int i = 0; i < CHI_SQUARE_REPEATS; i++) {
                SignificanceResult x = test.test(expected[i & 63], observedLong[i & 63]);
                s[0] += x.getStatistic();
                s[1] += x.getPValue();
            }
            return s;
        });
        boolean same = Math.abs(p.ours()[0] - p.theirs()[0]) <= 1e-9 * Math.abs(p.ours()[0])
                && Math.abs(p.ours()[1] - p.theirs()[1]) <= 1e-9 * Math.max(1, Math.abs(p.ours()[1]));
        String zero;
        double[] withNew = {10, 20, 5};
        double[] expectedNew = {17.5, 17.5, 0};
        DriftStatistics.Test oursNew = DriftStatistics.chiSquare(withNew, expectedNew);
        try {
            SignificanceResult x = test.test(expectedNew, new long[] {10, 20, 5});
            zero = "library gives statistic " + x.getStatistic() + ", p " + x.getPValue();
        } catch (IllegalArgumentException e) {
            zero = "library refuses it (" + e.getMessage() + ")";
        }
        return new Comparison("chi-square test (drift/DriftStatistics.chiSquare)",
                "commons-statistics-inference ChiSquareTest.withDefaults().test(expected, observed)",
                String.format(Locale.ROOT, "%,d tests of 12 categories (counts 50-1,050)", CHI_SQUARE_REPEATS),
                p.oursTime(), p.theirsTime(), same, String.format(Locale.ROOT,
                "sums of statistics and p-values to 1e-9; a category new in the current window (expected 0): "
                        + "ours statistic %s, p %s, as scipy.stats.chisquare; %s", oursNew.statistic(), oursNew.pValue(), zero));
    }

    // ---------------------------------------------------------------- digests

    private static Comparison digest(Path workDir, int sizeMb, int rounds, Consumer<String> progress) throws IOException {
        Path file = workDir.resolve("library-bench-digest-" + sizeMb + "m.bin");
        if (!Files.isRegularFile(file) || Files.size(file) != (long) sizeMb << 20) {
            progress.accept("generating " + file);
            SplittableRandom r = new SplittableRandom(SEED + 6);
            byte[] block = new byte[1 << 20];
            try (OutputStream out = Files.newOutputStream(file)) {
                for (int m = 0; m < sizeMb; m++) {
                    for (int i = 0; i < block.length; i += 8) {
                        long x = r.nextLong();
                        for (int j = 0; j < 8; j++) {
                            block[i + j] = (byte) (x >>> (8 * j));
                        }
                    }
                    out.write(block);
                }
            }
        }
        plainSha256(file); // into the page cache, so both measure hashing
        progress.accept("file digest: DatasetDigester against MessageDigest over Files.newInputStream");
        Pair<String, String> p = alternate(rounds, () -> new DatasetDigester(DigestCache.inMemory()).digest(file).sha256(),
                () -> plainSha256(file));
        return new Comparison("file digest (lineage/DatasetDigester, DigestPipeline)",
                "MessageDigest SHA-256 over Files.newInputStream, 64 KiB reads (as common/Digests.of)",
                String.format(Locale.ROOT, "one file of %,d MiB, random bytes, in the page cache", sizeMb),
                p.oursTime(), p.theirsTime(), p.ours().equals(p.theirs()), "the hex SHA-256");
    }

    static String plainSha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private static Timing better(Timing a, Timing b) {
        return new Timing(Math.min(a.best(), b.best()), Math.min(a.median(), b.median()));
    }

    private static double gauss(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    private static final class Doubles {
        private double[] a = new double[1 << 12];
        private int n;

        void add(double v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        double[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** Text values dictionary-encoded, as the readers keep them. */
    private static final class Codes {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> values = new ArrayList<>();
        private int[] a = new int[1 << 12];
        private int n;

        void add(String v) {
            Integer code = index.get(v);
            if (code == null) {
                code = values.size();
                index.put(v, code);
                values.add(v);
            }
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = code;
        }

        List<String> values() {
            return values;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
