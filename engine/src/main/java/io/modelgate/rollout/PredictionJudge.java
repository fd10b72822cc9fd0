package io.modelgate.rollout;

import io.modelgate.common.Numbers;
import io.modelgate.drift.DriftStatistics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The shadow mode's comparison of predictions: did the canary, given the very requests the stable version
 * answered, predict differently?
 *
 * <p>Both versions' predictions for the same mirrored requests are compared by the drift statistics: the
 * population stability index over the stable version's deciles (Evidently's PSI, zero shares filled as
 * Evidently fills them) says how large the shift is, and the two-sample Kolmogorov-Smirnov test says
 * whether it is more than noise. The canary FAILs only when both hold: the PSI is above {@code maxPsi}
 * and the KS p-value is at most look {@code k}'s share of alpha, {@code alpha * 6 / (pi^2 k^2)} (the shares
 * sum to alpha over all looks, as the guards' do). So with predictions from one distribution the judge
 * fails a canary with probability at most alpha however many looks it takes, and a PSI inflated by a
 * small sample (about {@code 9 (1/n + 1/m)} for ten bins) cannot fail it on its own. Below
 * {@code minPredictions} on either side it is INCONCLUSIVE, which a step treats as "not enough data yet".
 *
 * @param alpha          the chance, at most, that it fails a canary whose predictions do not differ
 * @param maxPsi         the shift the canary may show, e.g. 0.1 (Evidently's threshold)
 * @param minPredictions predictions of each version needed before judging
 */
public record PredictionJudge(double alpha, double maxPsi, int minPredictions) implements Judge {
    static final String NAME = "predictions";
    private static final int BINS = 10;

    public PredictionJudge {
        if (!(alpha > 0 && alpha < 1) || !(maxPsi > 0) || minPredictions < 1) {
            throw new RolloutException("prediction judge: alpha must be in (0, 1), max_psi above 0 and the minimum "
                    + "number of predictions at least 1");
        }
    }

    @Override
    public Judgement judge(Observations o) {
        double[] stable = o.predictions().stable();
        double[] canary = o.predictions().canary();
        String unscored = o.predictions().unscored() == 0 ? ""
                : "; " + o.predictions().unscored() + " mirrored answers had no number at traffic.score";
        if (stable.length < minPredictions || canary.length < minPredictions) {
            return new Judgement(NAME, JudgeOutcome.INCONCLUSIVE, "psi", Double.NaN, String.format(Locale.ROOT,
                    "%d stable and %d canary predictions, %d of each needed%s", stable.length, canary.length,
                    minPredictions, unscored));
        }
        Arrays.sort(stable);
        Arrays.sort(canary);
        double[] edges = decileEdges(stable);
        double[] s = shares(stable, edges);
        double[] c = shares(canary, edges);
        Judgement.Comparison comparison = new Judgement.Comparison(String.format(Locale.ROOT,
                "predictions for %d mirrored requests (canary) and %d (stable)", canary.length, stable.length),
                labels(edges), boxed(s), boxed(c));
        double[] sf = s.clone();
        double[] cf = c.clone();
        DriftStatistics.fillZeroes(sf);
        DriftStatistics.fillZeroes(cf);
        double psi = DriftStatistics.psi(sf, cf);
        DriftStatistics.Test ks = DriftStatistics.ks(stable, canary);
        int look = o.earlier().size() + 1;
        double alphaK = BoundTest.share(alpha, look);
        boolean shifted = psi > maxPsi;
        boolean significant = ks.pValue() <= alphaK;
        String stats = String.format(Locale.ROOT, "PSI %s (at most %s), KS D = %s, p = %s (%s %s, look %d)",
                Numbers.format(psi), Numbers.format(maxPsi), Numbers.format(ks.statistic()), Numbers.format(ks.pValue()),
                significant ? "<=" : ">", Numbers.format(alphaK), look);
        if (shifted && significant) {
            return new Judgement(NAME, JudgeOutcome.FAIL, "psi", psi,
                    "the canary's predictions differ from the stable version's on the same requests: " + stats + unscored,
                    comparison);
        }
        String why = shifted ? "a shift this small sample cannot tell from noise" : "no shift beyond max_psi";
        return new Judgement(NAME, JudgeOutcome.PASS, "psi", psi, "predictions agree (" + why + "): " + stats + unscored,
                comparison);
    }

    /** The stable version's deciles, ties merged: the interior edges of up to ten bins. */
    static double[] decileEdges(double[] sortedStable) {
        List<Double> edges = new ArrayList<>();
        for (int i = 1; i < BINS; i++) {
            double q = sortedStable[(int) Math.min(sortedStable.length - 1L, (long) i * sortedStable.length / BINS)];
            if (edges.isEmpty() || q > edges.get(edges.size() - 1)) {
                edges.add(q);
            }
        }
        // the lowest bin holds values below the first edge: an edge at the minimum would leave it empty
        if (!edges.isEmpty() && edges.get(0) <= sortedStable[0]) {
            edges.remove(0);
        }
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Shares of the bins (-inf, e1), [e1, e2), ..., [ek, inf). */
    static double[] shares(double[] sorted, double[] edges) {
        double[] shares = new double[edges.length + 1];
        int bin = 0;
        for (double x : sorted) {
            while (bin < edges.length && x >= edges[bin]) {
                bin++;
            }
            shares[bin]++;
        }
        for (int i = 0; i < shares.length; i++) {
            shares[i] /= sorted.length;
        }
        return shares;
    }

    private static List<String> labels(double[] edges) {
        List<String> labels = new ArrayList<>();
        if (edges.length == 0) {
            return List.of("all");
        }
        labels.add("< " + Numbers.format(edges[0]));
        for (int i = 1; i < edges.length; i++) {
            labels.add(Numbers.format(edges[i - 1]) + " to " + Numbers.format(edges[i]));
        }
        labels.add(">= " + Numbers.format(edges[edges.length - 1]));
        return labels;
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }
}
