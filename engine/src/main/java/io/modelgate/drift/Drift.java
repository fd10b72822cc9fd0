package io.modelgate.drift;

import io.modelgate.common.Numbers;
import io.modelgate.gate.Status;
import io.modelgate.metrics.ColumnKind;
import io.modelgate.metrics.CsvTable;
import io.modelgate.metrics.CsvTableReader;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.MetricsException;
import io.modelgate.metrics.Predictions;
import io.modelgate.metrics.RadixSort;
import io.modelgate.metrics.Task;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;

/**
 * Compares a current window of data with the reference it should resemble, column by column, and
 * decides whether the data set drifted.
 *
 * <p>Default methods, as Evidently's {@code get_default_stattest}, on the values that are not missing:
 * with at most {@link DriftPolicy#smallReference()} (1,000) reference values, a numeric column with
 * more than 5 distinct values (both windows together) gets the KS test, any other column chi-square
 * (p < 0.05 is drift); with more, a numeric column with more than 5 distinct values gets the normed
 * Wasserstein distance, any other Jensen-Shannon (>= 0.1 is drift). Evidently uses a z-test for
 * columns with at most two values in small samples; we use chi-square there too. PSI when asked:
 * >= 0.25 drift, >= 0.1 WARN.
 */
public final class Drift {
    private static final String NUMBER_HINT = "; if the column holds text, set its type to categorical in the drift policy";

    private Drift() {
    }

    /** Reads both files and judges them. */
    public static DriftVerdict evaluate(Path reference, Path current, DriftPolicy policy, Instant at) {
        Map<String, Boolean> refSniff = sniff(reference);
        // The reference's first rows decide the types; of the current window only its columns matter
        // here (text in a numeric column is reported, with its line, when the window is read).
        Set<String> curColumns = new LinkedHashSet<>(header(current));
        Map<String, ColumnKind> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, Boolean> sniffed : refSniff.entrySet()) {
            String column = sniffed.getKey();
            ColumnPolicy cp = policy.column(column);
            if (cp.ignore()) {
                continue;
            }
            if (!curColumns.contains(column)) {
                throw new DriftException(current + ": no column '" + column + "', which the reference " + reference
                        + " has; add it, or leave it out with 'ignore: [" + column + "]' in the drift policy");
            }
            ColumnType type = cp.type() != ColumnType.AUTO ? cp.type()
                    : sniffed.getValue() ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            kinds.put(column, type == ColumnType.NUMERIC ? ColumnKind.NUMBER : ColumnKind.TEXT);
        }
        for (String column : curColumns) {
            if (!refSniff.containsKey(column) && !policy.column(column).ignore()) {
                throw new DriftException(reference + ": no column '" + column + "', which the current window " + current
                        + " has; add it, or leave it out with 'ignore: [" + column + "]' in the drift policy");
            }
        }
        for (String column : policy.columns().keySet()) {
            if (!refSniff.containsKey(column) && !curColumns.contains(column)) {
                throw new DriftException(policy.source() + ": columns." + column + ": neither " + reference + " nor "
                        + current + " has a column '" + column + "'");
            }
        }
        if (kinds.isEmpty()) {
            throw new DriftException(reference + ": no columns to compare (all are ignored by the policy)");
        }
        // The current window starts from the reference's decimals: files written alike need no rescaling.
        CsvTableReader.Scales scales = new CsvTableReader.Scales();
        CsvTable ref = read(reference, kinds, scales);
        CsvTable cur = read(current, kinds, scales);
        return judge(ref, cur, policy, new DriftInputs(reference.toString(), current.toString(), policy.source(),
                ref.rows(), cur.rows()), at);
    }

    private static Map<String, Boolean> sniff(Path file) {
        try {
            return CsvTableReader.sniff(file);
        } catch (MetricsException e) {
            throw new DriftException(e.getMessage(), e);
        }
    }

    private static List<String> header(Path file) {
        try {
            return CsvTableReader.header(file);
        } catch (MetricsException e) {
            throw new DriftException(e.getMessage(), e);
        }
    }

    private static CsvTable read(Path file, Map<String, ColumnKind> kinds, CsvTableReader.Scales scales) {
        CsvTable table;
        try {
            table = CsvTableReader.read(file, kinds, NUMBER_HINT, scales);
        } catch (MetricsException e) {
            throw new DriftException(e.getMessage(), e);
        }
        if (table.rows() == 0) {
            throw new DriftException(file + ": has a header but no rows: the window is empty");
        }
        return table;
    }

    /** Judges two tables with the same columns (same names, same kinds, same order). */
    public static DriftVerdict judge(CsvTable ref, CsvTable cur, DriftPolicy policy, DriftInputs inputs, Instant at) {
        int k = ref.columns().size();
        ColumnDrift[] results = new ColumnDrift[k];
        // Columns are independent: spread them over the cores (each sort is the expensive part). A column
        // borrows a sort's working arrays and gives them back, so they are allocated once per thread,
        // not per column, and are garbage when this returns (no thread-local left behind in the pool).
        Queue<RadixSort.Scratch> spare = new ConcurrentLinkedQueue<>();
        IntStream.range(0, k).parallel().forEach(i -> {
            RadixSort.Scratch scratch = Objects.requireNonNullElseGet(spare.poll(), RadixSort.Scratch::new);
            results[i] = column(ref.columns().get(i), cur.columns().get(i), policy, scratch);
            spare.add(scratch);
        });
        List<ColumnDrift> columns = List.of(results);
        int evaluated = 0;
        int drifted = 0;
        boolean warned = false;
        for (ColumnDrift c : columns) {
            if (c.outcome() != ColumnDrift.Outcome.NOT_ENOUGH_DATA) {
                evaluated++;
            }
            if (c.drifted()) {
                drifted++;
            }
            warned |= c.outcome() == ColumnDrift.Outcome.WARN || c.drifted();
        }
        double share = evaluated == 0 ? 0 : (double) drifted / evaluated;
        boolean datasetDrift = evaluated > 0 && share >= policy.driftShare();
        var prediction = columns.stream().filter(c -> c.role() == ColumnDrift.Role.PREDICTION).findFirst();
        boolean predictionDrift = prediction.map(ColumnDrift::drifted).orElse(false);
        Status status = datasetDrift || (predictionDrift && policy.predictionDriftFails()) ? Status.FAIL
                : warned ? Status.WARN : Status.PASS;
        MetricSet refMetrics = metrics(ref, policy);
        MetricSet curMetrics = metrics(cur, policy);
        String summary = summary(status, columns, drifted, evaluated, share, policy, datasetDrift, prediction);
        return new DriftVerdict(status, summary, columns, drifted, evaluated, policy.driftShare(), datasetDrift,
                prediction.map(ColumnDrift::column).orElse(""), refMetrics, curMetrics, inputs, at);
    }

    private static String summary(Status status, List<ColumnDrift> columns, int drifted, int evaluated, double share,
                                  DriftPolicy policy, boolean datasetDrift, java.util.Optional<ColumnDrift> prediction) {
        StringBuilder s = new StringBuilder(status.name()).append(": ").append(drifted).append(" of ").append(evaluated)
                .append(evaluated == 1 ? " column" : " columns").append(" drifted (")
                .append(percent(share)).append(", data set drift at ").append(percent(policy.driftShare())).append(")");
        s.append(datasetDrift ? " — the data set drifted" : " — the data set did not drift");
        prediction.ifPresent(p -> s.append("; prediction '").append(p.column()).append("' ")
                .append(p.drifted() ? "drifted" : p.outcome() == ColumnDrift.Outcome.NOT_ENOUGH_DATA ? "not judged"
                        : "did not drift"));
        List<ColumnDrift> worst = columns.stream().filter(ColumnDrift::drifted)
                .sorted(Comparator.comparingDouble(c -> -severity(c))).limit(3).toList();
        if (!worst.isEmpty()) {
            s.append("; most drifted: ").append(String.join(", ", worst.stream().map(ColumnDrift::column).toList()));
        }
        long thin = columns.stream().filter(c -> c.outcome() == ColumnDrift.Outcome.NOT_ENOUGH_DATA).count();
        if (thin > 0) {
            s.append("; ").append(thin).append(thin == 1 ? " column has" : " columns have").append(" not enough data");
        }
        return s.toString();
    }

    /** How far past its threshold a drifted column is, comparable across methods. */
    private static double severity(ColumnDrift c) {
        return c.method().isPValue() ? -Math.log10(Math.max(c.pValue(), 1e-300)) : c.statistic() / c.threshold();
    }

    private static String percent(double share) {
        return Numbers.format(Math.round(share * 1000) / 10.0) + "%";
    }

    // ---------------------------------------------------------------- one column

    static ColumnDrift column(CsvTable.Column ref, CsvTable.Column cur, DriftPolicy policy, RadixSort.Scratch scratch) {
        String name = ref.name();
        ColumnDrift.Role role = name.equals(policy.predictionColumn()) ? ColumnDrift.Role.PREDICTION
                : name.equals(policy.labelColumn()) ? ColumnDrift.Role.LABEL : ColumnDrift.Role.FEATURE;
        ColumnPolicy cp = policy.column(name);
        Method chosen = cp.method() != Method.AUTO ? cp.method() : policy.method();
        if (!(ref instanceof CsvTable.TextColumn) && !(cur instanceof CsvTable.TextColumn)) {
            return numeric(name, role, ref, cur, chosen, cp.threshold(), policy, scratch);
        }
        return categorical(name, role, (CsvTable.TextColumn) ref, (CsvTable.TextColumn) cur, chosen, cp.threshold(), policy);
    }

    private static ColumnDrift numeric(String name, ColumnDrift.Role role, CsvTable.Column refColumn,
                                       CsvTable.Column curColumn, Method chosen, double threshold, DriftPolicy policy,
                                       RadixSort.Scratch scratch) {
        // Nothing made from these two arrays keeps them: the next column of this thread may reuse them.
        double[] ref = sorted(refColumn, scratch, 0);
        double[] cur = sorted(curColumn, scratch, 1);
        Sizes sizes = new Sizes(ref.length, cur.length, refColumn.missing(), curColumn.missing());
        if (ref.length == 0 || cur.length == 0) {
            return notEnough(name, role, ColumnType.NUMERIC, sizes, (ref.length == 0 ? "the reference" : "the current window")
                    + " has no values in it (all " + (ref.length == 0 ? sizes.refMissing : sizes.curMissing) + " missing)");
        }
        int nValues = DriftStatistics.distinct(ref, cur, 6); // only < 2 and <= 5 matter
        if (nValues < 2) {
            return notEnough(name, role, ColumnType.NUMERIC, sizes, "it is constant (" + Numbers.format(ref[0])
                    + " in both windows): there is no distribution to compare");
        }
        if (chosen != Method.AUTO && !chosen.appliesTo(ColumnType.NUMERIC)) {
            throw new DriftException(policy.source() + ": columns." + name + ".method: " + chosen.id()
                    + " does not apply to a numeric column");
        }
        boolean small = ref.length <= policy.smallReference();
        Method method = chosen != Method.AUTO ? chosen
                : small ? (nValues <= 5 ? Method.CHI_SQUARE : Method.KS)
                : (nValues <= 5 ? Method.JENSEN_SHANNON : Method.WASSERSTEIN);
        boolean integers = refColumn.missing() == 0 && curColumn.missing() == 0 && whole(ref) && whole(cur);
        Binned binned = Binned.numeric(ref, cur, integers);
        ColumnDrift.Histogram histogram = new ColumnDrift.Histogram(binned.labels(), binned.reference(), binned.current());
        return switch (method) {
            case KS -> {
                DriftStatistics.Test t = DriftStatistics.ks(ref, cur);
                yield judged(name, role, ColumnType.NUMERIC, method, t.statistic(), t.pValue(), threshold, policy, sizes,
                        histogram);
            }
            case WASSERSTEIN -> judged(name, role, ColumnType.NUMERIC, method, DriftStatistics.normedWasserstein(ref, cur),
                    Double.NaN, threshold, policy, sizes, histogram);
            case CHI_SQUARE -> {
                Binned values = Binned.values(ref, cur);
                DriftStatistics.Test t = chiSquare(values.reference(), values.current(), ref.length, cur.length);
                yield judged(name, role, ColumnType.NUMERIC, method, t.statistic(), t.pValue(), threshold, policy, sizes,
                        histogram);
            }
            case JENSEN_SHANNON -> judged(name, role, ColumnType.NUMERIC, method,
                    DriftStatistics.jensenShannon(binned.reference(), binned.current()), Double.NaN, threshold, policy,
                    sizes, histogram);
            case PSI -> judged(name, role, ColumnType.NUMERIC, method, psi(binned), Double.NaN, threshold, policy, sizes,
                    histogram);
            case AUTO -> throw new IllegalStateException("AUTO was resolved above");
        };
    }

    /** A number or decimal column's values that are not missing, ascending, in {@code scratch}'s result {@code slot}. */
    private static double[] sorted(CsvTable.Column column, RadixSort.Scratch scratch, int slot) {
        return column instanceof CsvTable.DecimalColumn d ? RadixSort.sortedUnitsReusing(d, scratch, slot)
                : RadixSort.sortedFiniteReusing(((CsvTable.NumberColumn) column).values(), ((CsvTable.NumberColumn) column).rows(),
                        column.missing(), scratch, slot);
    }

    private static ColumnDrift categorical(String name, ColumnDrift.Role role, CsvTable.TextColumn refColumn,
                                           CsvTable.TextColumn curColumn, Method chosen, double threshold,
                                           DriftPolicy policy) {
        // One list of categories: the reference's, then those only the current window has.
        List<String> labels = new ArrayList<>(refColumn.values());
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        int[] curMap = new int[curColumn.values().size()];
        for (int i = 0; i < curMap.length; i++) {
            String v = curColumn.values().get(i);
            Integer at = index.get(v);
            if (at == null) {
                at = labels.size();
                labels.add(v);
                index.put(v, at);
            }
            curMap[i] = at;
        }
        long[] refCounts = new long[labels.size()];
        long[] curCounts = new long[labels.size()];
        // the reference's codes through an identity map: one loop for both, with no branch on which
        count(refColumn.codes(), refColumn.rows(), IntStream.range(0, refColumn.values().size()).toArray(), refCounts);
        count(curColumn.codes(), curColumn.rows(), curMap, curCounts);
        // Drop categories seen on neither side (a value that only ever appeared as missing)
        List<String> keptLabels = new ArrayList<>();
        List<long[]> kept = new ArrayList<>();
        for (int i = 0; i < labels.size(); i++) {
            if (refCounts[i] + curCounts[i] > 0) {
                keptLabels.add(labels.get(i));
                kept.add(new long[] {refCounts[i], curCounts[i]});
            }
        }
        long[] r = kept.stream().mapToLong(x -> x[0]).toArray();
        long[] c = kept.stream().mapToLong(x -> x[1]).toArray();
        long nr = java.util.Arrays.stream(r).sum();
        long nc = java.util.Arrays.stream(c).sum();
        Sizes sizes = new Sizes(nr, nc, refColumn.missing(), curColumn.missing());
        if (nr == 0 || nc == 0) {
            return notEnough(name, role, ColumnType.CATEGORICAL, sizes, (nr == 0 ? "the reference" : "the current window")
                    + " has no values in it (all " + (nr == 0 ? sizes.refMissing : sizes.curMissing) + " missing)");
        }
        if (keptLabels.size() < 2) {
            return notEnough(name, role, ColumnType.CATEGORICAL, sizes, "it is constant ('" + keptLabels.get(0)
                    + "' in both windows): there is no distribution to compare");
        }
        if (chosen != Method.AUTO && !chosen.appliesTo(ColumnType.CATEGORICAL)) {
            throw new DriftException(policy.source() + ": columns." + name + ".method: " + chosen.id()
                    + " does not apply to a categorical column; set its type to numeric if it holds numbers");
        }
        boolean small = nr <= policy.smallReference();
        Method method = chosen != Method.AUTO ? chosen : small ? Method.CHI_SQUARE : Method.JENSEN_SHANNON;
        Binned binned = Binned.categories(keptLabels, r, c);
        ColumnDrift.Histogram histogram = new ColumnDrift.Histogram(binned.labels(), binned.reference(), binned.current());
        return switch (method) {
            case CHI_SQUARE -> {
                DriftStatistics.Test t = chiSquare(binned.reference(), binned.current(), nr, nc);
                yield judged(name, role, ColumnType.CATEGORICAL, method, t.statistic(), t.pValue(), threshold, policy,
                        sizes, histogram);
            }
            case JENSEN_SHANNON -> judged(name, role, ColumnType.CATEGORICAL, method,
                    DriftStatistics.jensenShannon(binned.reference(), binned.current()), Double.NaN, threshold, policy,
                    sizes, histogram);
            case PSI -> judged(name, role, ColumnType.CATEGORICAL, method, psi(binned), Double.NaN, threshold, policy,
                    sizes, histogram);
            default -> throw new IllegalStateException(method + " on a categorical column");
        };
    }

    /**
     * Adds one to {@code counts[map[code]]} (or {@code counts[code]} without a map) per code that is
     * not missing. A method of its own so that the JIT compiles this million-row loop on its own.
     */
    private static void count(int[] codes, int rows, int[] map, long[] counts) {
        for (int from = 0; from < rows; from += RadixSort.STRIDE) {
            count(codes, from, Math.min(rows, from + RadixSort.STRIDE), map, counts);
        }
    }

    private static void count(int[] codes, int from, int to, int[] map, long[] counts) {
        for (int i = from; i < to; i++) {
            int code = codes[i];
            if (code >= 0) {
                counts[map[code]]++;
            }
        }
    }

    /** Evidently's chi-square: current counts against reference counts scaled to the current size. */
    private static DriftStatistics.Test chiSquare(double[] refShares, double[] curShares, long nr, long nc) {
        double[] observed = new double[refShares.length];
        double[] expected = new double[refShares.length];
        double scale = (double) nc / nr;
        for (int i = 0; i < observed.length; i++) {
            observed[i] = Math.rint(curShares[i] * nc);
            expected[i] = Math.rint(refShares[i] * nr) * scale;
        }
        return DriftStatistics.chiSquare(observed, expected);
    }

    private static double psi(Binned binned) {
        double[] r = binned.reference().clone();
        double[] c = binned.current().clone();
        DriftStatistics.fillZeroes(r);
        DriftStatistics.fillZeroes(c);
        return DriftStatistics.psi(r, c);
    }

    private record Sizes(long ref, long cur, long refMissing, long curMissing) {
    }

    private static ColumnDrift judged(String name, ColumnDrift.Role role, ColumnType type, Method method, double statistic,
                                      double pValue, double threshold, DriftPolicy policy, Sizes sizes,
                                      ColumnDrift.Histogram histogram) {
        double t = Double.isNaN(threshold) ? (method == Method.PSI ? policy.psiFail() : method.defaultThreshold()) : threshold;
        double score = method.isPValue() ? pValue : statistic;
        ColumnDrift.Outcome outcome;
        String verdict;
        if (method.isPValue()) {
            boolean drift = score < t;
            outcome = drift ? ColumnDrift.Outcome.DRIFT : ColumnDrift.Outcome.NO_DRIFT;
            verdict = method.display() + " " + fmt(score) + (drift ? " < " : " >= ") + Numbers.format(t)
                    + " (" + (method == Method.KS ? "D = " : "chi-square = ") + fmt(statistic) + ")";
        } else if (method == Method.PSI) {
            double warn = Math.min(policy.psiWarn(), t);
            outcome = score >= t ? ColumnDrift.Outcome.DRIFT : score >= warn ? ColumnDrift.Outcome.WARN
                    : ColumnDrift.Outcome.NO_DRIFT;
            verdict = "PSI " + fmt(score) + (score >= t ? " >= " + Numbers.format(t)
                    : score >= warn ? " in the warn band [" + Numbers.format(warn) + ", " + Numbers.format(t) + ")"
                    : " < " + Numbers.format(warn));
        } else {
            boolean drift = score >= t;
            outcome = drift ? ColumnDrift.Outcome.DRIFT : ColumnDrift.Outcome.NO_DRIFT;
            verdict = method.display() + " " + fmt(score) + (drift ? " >= " : " < ") + Numbers.format(t);
        }
        String what = switch (outcome) {
            case DRIFT -> "drift";
            case WARN -> "warning";
            default -> "no drift";
        };
        String message = name + ": " + what + ": " + verdict + "; " + sizes(sizes);
        return new ColumnDrift(name, role, type, method, statistic, pValue, t, sizes.ref, sizes.cur, sizes.refMissing,
                sizes.curMissing, outcome, message, histogram);
    }

    private static ColumnDrift notEnough(String name, ColumnDrift.Role role, ColumnType type, Sizes sizes, String why) {
        return new ColumnDrift(name, role, type, Method.AUTO, Double.NaN, Double.NaN, Double.NaN, sizes.ref, sizes.cur,
                sizes.refMissing, sizes.curMissing, ColumnDrift.Outcome.NOT_ENOUGH_DATA,
                name + ": not enough data: " + why + "; " + sizes(sizes), ColumnDrift.Histogram.empty());
    }

    private static String sizes(Sizes s) {
        return String.format(Locale.ROOT, "reference %,d values, current %,d%s", s.ref, s.cur,
                s.refMissing + s.curMissing == 0 ? "" : String.format(Locale.ROOT, " (missing: %,d and %,d)",
                        s.refMissing, s.curMissing));
    }

    private static String fmt(double v) {
        if (!Double.isFinite(v)) {
            // Infinity is a real chi-square: the current window has a category the reference never had.
            return Numbers.format(v);
        }
        if (v != 0 && Math.abs(v) < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return Numbers.format(Math.abs(v) < 1 ? Math.round(v * 1e4) / 1e4 : Math.round(v * 1e3) / 1e3);
    }

    private static boolean whole(double[] sorted) {
        for (double v : sorted) {
            if (v != Math.rint(v)) {
                return false;
            }
        }
        return true;
    }

    private static CsvTable.NumberColumn numbers(CsvTable.Column column) {
        return column instanceof CsvTable.DecimalColumn d ? d.toNumbers() : (CsvTable.NumberColumn) column;
    }

    /** The gate's metrics on a window with labels and scores; empty when it has not both. */
    private static MetricSet metrics(CsvTable table, DriftPolicy policy) {
        var label = table.column(policy.labelColumn());
        var score = table.column(policy.predictionColumn());
        if (label.isEmpty() || score.isEmpty() || label.get() instanceof CsvTable.TextColumn
                || score.get() instanceof CsvTable.TextColumn) {
            return MetricSet.empty();
        }
        CsvTable.NumberColumn l = numbers(label.get());
        CsvTable.NumberColumn s = numbers(score.get());
        double[] labels = new double[table.rows()];
        double[] scores = new double[table.rows()];
        int n = 0;
        for (int i = 0; i < table.rows(); i++) {
            double y = l.values()[i];
            double p = s.values()[i];
            if (!Double.isNaN(y) && !Double.isNaN(p)) {
                if (policy.classification() && (!(y == 0 || y == 1) || p < 0 || p > 1)) {
                    throw new DriftException(table.file() + ": column '" + policy.labelColumn() + "' or '"
                            + policy.predictionColumn() + "' is not a 0/1 label and a probability in row " + (i + 1)
                            + "; set 'task: regression' in the drift policy, or rename the columns with "
                            + "label_column / prediction_column");
                }
                labels[n] = y;
                scores[n] = p;
                n++;
            }
        }
        if (n == 0) {
            return MetricSet.empty();
        }
        Predictions predictions = new Predictions(policy.classification() ? Task.CLASSIFICATION : Task.REGRESSION,
                java.util.Arrays.copyOf(labels, n), java.util.Arrays.copyOf(scores, n), List.of());
        try {
            return MetricsCalculator.compute(predictions, 0.5);
        } catch (MetricsException e) {
            throw new DriftException(table.file() + ": " + e.getMessage(), e);
        }
    }
}
