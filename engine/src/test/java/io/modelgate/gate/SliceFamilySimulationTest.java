package io.modelgate.gate;

import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.Predictions;
import io.modelgate.metrics.Task;
import io.modelgate.metrics.Uncertainty;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand slices of 100 rows (the default minimum slice size) of a model that is no better than
 * chance, judged against another such model: nothing changed, so every FAIL is a false alarm. Each
 * slice check alone fails 2.5% of the time at the boundary of its null (a tolerated change of 0), so
 * without a correction every run fails a few hundred checks; Holm's correction keeps the share of
 * runs with any FAIL near 2.5%. Seeded. Other sizes: {@code -Dmodelgate.simulation.slices=N},
 * {@code .rows=N}, {@code .models=N} (docs/performance.md has the figures for several).
 */
class SliceFamilySimulationTest {
    private static final int SLICES = Integer.getInteger("modelgate.simulation.slices", 10_000);
    private static final int ROWS_PER_SLICE = Integer.getInteger("modelgate.simulation.rows", 100);
    /** Models drawn; every pair of two is one run (the estimates, which cost seconds, are made once per model). */
    private static final int MODELS = Integer.getInteger("modelgate.simulation.models", 10);
    private static final String POLICY = "metrics: {roc_auc: {slices: {'s=*': {min_absolute_change: 0}}}}";

    private static Predictions randomModel(Random random) {
        int n = SLICES * ROWS_PER_SLICE;
        double[] y = new double[n];
        double[] s = new double[n];
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextBoolean() ? 1 : 0;
            s[i] = random.nextDouble();
            codes[i] = i % SLICES;
        }
        List<String> values = new ArrayList<>(SLICES);
        for (int v = 0; v < SLICES; v++) {
            values.add("v" + v);
        }
        return new Predictions(Task.CLASSIFICATION, y, s, List.of(new Predictions.SliceColumn("s", values, codes)));
    }

    private static MetricSet measure(Predictions p) {
        return MetricsCalculator.compute(p, 0.5).withIntervals(Uncertainty.estimate(p, 0.5, 0.95, 1));
    }

    @Test
    void tenThousandSlicesOfNoChangeRarelyFailAnyCheck() {
        Policy holm = PolicyReader.parse("policy.yaml", POLICY);
        Policy uncorrected = PolicyReader.parse("policy.yaml", "slice_correction: none\n" + POLICY);
        Random random = new Random(20261204L);
        long started = System.nanoTime();
        List<MetricSet> models = new ArrayList<>();
        for (int k = 0; k < MODELS; k++) {
            models.add(measure(randomModel(random)));
        }
        int runs = 0;
        int runsWithAFail = 0;
        long uncorrectedFails = 0;
        long checks = 0;
        for (int a = 0; a < MODELS; a++) {
            for (int b = a + 1; b < MODELS; b++) {
                Verdict v = Gate.evaluate(holm, models.get(a), models.get(b), inputs(), Instant.EPOCH);
                runs++;
                checks += v.results().size();
                runsWithAFail += v.count(Outcome.FAIL) > 0 ? 1 : 0;
                uncorrectedFails += Gate.evaluate(uncorrected, models.get(a), models.get(b), inputs(), Instant.EPOCH)
                        .count(Outcome.FAIL);
            }
        }
        System.out.printf("%d runs (pairs of %d models) of %d slices x %d rows, no change: runs with any FAIL %d (%.1f%%) "
                        + "with Holm; without correction %d chance FAILs of %d checks (%.2f%%); %.1f s%n", runs, MODELS, SLICES,
                ROWS_PER_SLICE, runsWithAFail, 100.0 * runsWithAFail / runs, uncorrectedFails, checks,
                100.0 * uncorrectedFails / checks, (System.nanoTime() - started) / 1e9);
        assertThat(checks).isEqualTo((long) runs * SLICES);
        // At a true rate of 2.5%, 5 or more of 45 runs with a failure happen with probability 0.02.
        assertThat(runsWithAFail).as("runs with any FAIL (family-wise)").isLessThanOrEqualTo(4);
        // the uncorrected rate is near 2.5% of checks (a one-sided test at the null's boundary)
        assertThat(uncorrectedFails).as("without a correction, chance FAILs are many").isGreaterThan(checks / 100);
    }

    private static GateInputs inputs() {
        return new GateInputs("policy.yaml", "candidate", "baseline");
    }
}
