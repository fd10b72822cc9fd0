package io.modelgate.demo;

import io.modelgate.gate.Gate;
import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Outcome;
import io.modelgate.gate.Policy;
import io.modelgate.gate.PolicyReader;
import io.modelgate.gate.Verdict;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.Predictions;
import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.metrics.PredictionsReader;
import io.modelgate.metrics.Task;
import io.modelgate.metrics.Uncertainty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How often the gate is wrong, measured on the demo's own model and data (the figures in
 * docs/performance.md come from this test's output):
 *
 * <ul>
 *   <li>no change: the candidate's 6,000 held-out predictions split into random halves, one judged
 *       against the other — the same model — with the example policy's AUC checks and a slice change
 *       check. Every FAIL is a false alarm.</li>
 *   <li>a real regression: a candidate whose AUC over a 200,000-customer population is 0.03 lower,
 *       judged on 6,000 rows against the demo's candidate on 6,000 other rows. Every PASS is a miss.</li>
 * </ul>
 *
 * Seeded: the same figures every run. The bounds asserted are the (5% false alarms, 90%
 * power); at 200 trials a true rate of 2.5% stays under 5% with probability above 0.99.
 */
class GateErrorRateTest {
    private static final int TRIALS = 200;
    private static final long SEED = 20261204L;
    private static final GateInputs INPUTS = new GateInputs("policy.yaml", "candidate", "baseline");
    private static final Instant NOW = Instant.parse("2026-12-04T00:00:00Z");
    /** The example policy's AUC checks (examples/churn/policy.yaml), and a change check on every region. */
    private static final String POLICY = """
            version: 1
            min_slice_size: 200
            metrics:
              roc_auc:
                threshold: 0.75
                min_absolute_change: -0.005
                slices:
                  "region=*": {min_absolute_change: -0.02}
            """;

    private static Path work;
    private static DemoContext demo;
    private static Predictions heldOut;

    @BeforeAll
    static void trainTheDemoModels(@TempDir Path dir) throws IOException {
        work = dir;
        demo = new DemoContext(dir, 42, line -> { });
        new DataStage().run(demo);
        new TrainStage().run(demo);
        heldOut = PredictionsReader.read(demo.candidatePredictions,
                new PredictionsFormat("label", "score", List.of("region"), Task.CLASSIFICATION));
        assertThat(heldOut.size()).isEqualTo(6_000);
    }

    private static Policy policy(String yaml) {
        try {
            Path file = Files.createTempFile(work, "policy", ".yaml");
            Files.writeString(file, yaml);
            return PolicyReader.read(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static MetricSet measure(Predictions p) {
        return MetricsCalculator.compute(p, 0.5).withIntervals(Uncertainty.estimate(p, 0.5, 0.95, SEED));
    }

    private static Predictions rows(Predictions p, int[] index, int from, int to) {
        double[] y = new double[to - from];
        double[] s = new double[to - from];
        List<Predictions.SliceColumn> slices = new ArrayList<>();
        for (Predictions.SliceColumn c : p.slices()) {
            int[] codes = new int[to - from];
            for (int i = from; i < to; i++) {
                codes[i - from] = c.codes()[index[i]];
            }
            slices.add(new Predictions.SliceColumn(c.name(), c.values(), codes));
        }
        for (int i = from; i < to; i++) {
            y[i - from] = p.labels()[index[i]];
            s[i - from] = p.scores()[index[i]];
        }
        return new Predictions(p.task(), y, s, slices);
    }

    private static int[] shuffled(int n, Random random) {
        int[] index = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = index[i];
            index[i] = index[j];
            index[j] = t;
        }
        return index;
    }

    private static boolean overallChangeFailed(Verdict v) {
        return v.results().stream().anyMatch(r -> r.slice().equals("overall") && r.threshold().kind().needsBaseline()
                && r.outcome() == Outcome.FAIL);
    }

    private static boolean anySliceFailed(Verdict v) {
        return v.results().stream().anyMatch(r -> !r.slice().equals("overall") && r.outcome() == Outcome.FAIL);
    }

    @Test
    void theSameModelOnRandomHalvesRarelyFails() {
        Policy significance = policy(POLICY);
        Policy point = policy(POLICY.replace("version: 1", "version: 1\nmode: point"));
        Random random = new Random(SEED);
        int n = heldOut.size();
        int overall = 0;
        int slices = 0;
        int pointOverall = 0;
        int pointSlices = 0;
        for (int t = 0; t < TRIALS; t++) {
            int[] index = shuffled(n, random);
            MetricSet base = measure(rows(heldOut, index, 0, n / 2));
            MetricSet cand = measure(rows(heldOut, index, n / 2, n));
            Verdict v = Gate.evaluate(significance, cand, base, INPUTS, NOW);
            overall += overallChangeFailed(v) ? 1 : 0;
            slices += anySliceFailed(v) ? 1 : 0;
            Verdict p = Gate.evaluate(point, cand, base, INPUTS, NOW);
            pointOverall += overallChangeFailed(p) ? 1 : 0;
            pointSlices += anySliceFailed(p) ? 1 : 0;
        }
        System.out.printf("same model, random halves of %d rows, %d splits: overall change check FAILED %d (%.1f%%), "
                        + "any slice FAILED %d (%.1f%%); mode: point: %d (%.1f%%) and %d (%.1f%%)%n", n, TRIALS,
                overall, 100.0 * overall / TRIALS, slices, 100.0 * slices / TRIALS,
                pointOverall, 100.0 * pointOverall / TRIALS, pointSlices, 100.0 * pointSlices / TRIALS);
        assertThat(overall).as("false alarms of the overall change check").isLessThanOrEqualTo(TRIALS / 20);
        assertThat(slices).as("runs where some slice check failed").isLessThanOrEqualTo(TRIALS / 20);
        assertThat(pointOverall + pointSlices).as("the point gate, for contrast, fails on noise").isGreaterThan(overall + slices);
    }

    @Test
    void aCandidateThreeHundredthsOfAucWorseFailsNineTimesInTen() throws IOException {
        Path file = work.resolve("population.csv");
        int size = 200_000;
        DataStage.write(file, new Random(SEED), size, DataStage.Shift.NONE);
        List<String[]> population = Files.readAllLines(file).stream().skip(1).map(l -> l.split(",")).toList();
        List<String[]> all = Files.readAllLines(demo.dataset).stream().skip(1).map(l -> l.split(",")).toList();
        // the demo's training rows, as TrainStage picks them
        List<String[]> train = java.util.stream.IntStream.range(0, all.size()).filter(i -> i % 10 < 7)
                .mapToObj(all::get).toList();
        double[] y = train.stream().mapToDouble(r -> Double.parseDouble(r[6])).toArray();
        LogisticModel model = LogisticModel.fit(TrainStage.matrix(train, true), y, 1.0);
        double[][] x = TrainStage.matrix(population, true);
        double[] labels = population.stream().mapToDouble(r -> Double.parseDouble(r[6])).toArray();
        double[] good = new double[size];
        double[] noise = new double[size];
        Random random = new Random(SEED + 1);
        for (int i = 0; i < size; i++) {
            good[i] = model.predict(x[i]);
            noise[i] = random.nextGaussian();
        }
        double goodAuc = auc(labels, good);
        // The worse model: the good one's log-odds blurred by noise of a width found by bisection,
        // so that its AUC over the whole population is 0.03 lower.
        double lo = 0;
        double hi = 10;
        double[] worse = new double[size];
        for (int k = 0; k < 30; k++) {
            double sigma = (lo + hi) / 2;
            blur(good, noise, sigma, worse);
            if (goodAuc - auc(labels, worse) < 0.03) {
                lo = sigma;
            } else {
                hi = sigma;
            }
        }
        blur(good, noise, (lo + hi) / 2, worse);
        double worseAuc = auc(labels, worse);
        assertThat(goodAuc - worseAuc).isBetween(0.0299, 0.0301);

        Policy policy = policy(POLICY);
        Predictions goodAll = new Predictions(Task.CLASSIFICATION, labels, good, List.of());
        Predictions worseAll = new Predictions(Task.CLASSIFICATION, labels, worse, List.of());
        Random draws = new Random(SEED + 2);
        int unpaired = 0;
        int paired = 0;
        for (int t = 0; t < TRIALS; t++) {
            int[] index = shuffled(size, draws);
            // as a gate is used: both models scored on the same 6,000 held-out rows, judged paired...
            Predictions goodRows = rows(goodAll, index, 0, 6_000);
            Predictions worseRows = rows(worseAll, index, 0, 6_000);
            Verdict v = Gate.evaluate(policy, measure(worseRows), measure(goodRows),
                    Uncertainty.pairedDifference(worseRows, goodRows, 0.5, 0.95, SEED), INPUTS, NOW);
            paired += overallChangeFailed(v) ? 1 : 0;
            // ...and, for contrast, each on its own 6,000 rows: unpaired, as with a registry baseline
            Verdict u = Gate.evaluate(policy, measure(rows(worseAll, index, 6_000, 12_000)), measure(goodRows), INPUTS, NOW);
            unpaired += overallChangeFailed(u) ? 1 : 0;
        }
        System.out.printf("a candidate with population AUC %.4f against %.4f (0.03 lower), 6,000 rows: FAILED %d of %d "
                        + "(%.1f%%) paired on the same rows, %d (%.1f%%) unpaired on different rows%n", worseAuc, goodAuc,
                paired, TRIALS, 100.0 * paired / TRIALS, unpaired, 100.0 * unpaired / TRIALS);
        assertThat(paired).as("power against a 0.03 loss of AUC, paired").isGreaterThanOrEqualTo(TRIALS * 9 / 10);
        assertThat(unpaired).as("unpaired comparisons have less power, and still some").isGreaterThan(TRIALS / 2);
    }

    private static void blur(double[] scores, double[] noise, double sigma, double[] out) {
        for (int i = 0; i < scores.length; i++) {
            double p = Math.min(1 - 1e-12, Math.max(1e-12, scores[i]));
            double logit = Math.log(p / (1 - p)) + sigma * noise[i];
            out[i] = 1 / (1 + Math.exp(-logit));
        }
    }

    private static double auc(double[] labels, double[] scores) {
        return MetricsCalculator.compute(new Predictions(Task.CLASSIFICATION, labels, scores, List.of()), 0.5)
                .overall().get("roc_auc");
    }
}
