package io.modelgate.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Locale;
import java.util.Random;

/**
 * Makes a synthetic customer-churn data set with a known structure, so the candidate model (which
 * sees every feature) really is better than the baseline (which sees two).
 */
final class DataStage implements DemoStage {
    static final String[] REGIONS = {"eu", "us", "apac", "latam", "mea"};
    private static final double[] REGION_SHARE = {0.30, 0.30, 0.20, 0.12, 0.08};
    private static final double[] REGION_EFFECT = {0.0, 0.2, -0.3, 0.5, 0.3};
    static final int ROWS = 20_000;

    @Override
    public String name() {
        return "Prepare data";
    }

    /**
     * How a data set differs from the training data: the demo's production window shifts prices up,
     * support calls up and customers towards latam, as a market change would.
     */
    record Shift(double chargesMean, double extraCalls, double[] regionShare) {
        static final Shift NONE = new Shift(65, 0, REGION_SHARE);
        static final Shift PRODUCTION = new Shift(80, 1.0, new double[]{0.20, 0.25, 0.15, 0.32, 0.08});
    }

    @Override
    public void run(DemoContext c) throws IOException {
        c.dataset = c.path("data/customers.csv");
        int churned = write(c.dataset, new Random(c.seed), ROWS, Shift.NONE);
        c.progress.accept(String.format(Locale.ROOT, "      %d customers, %.1f%% churned -> %s",
                ROWS, 100.0 * churned / ROWS, c.workdir.relativize(c.dataset)));
    }

    /** Writes {@code rows} customers drawn with {@code shift}; returns how many churned. */
    static int write(java.nio.file.Path file, Random random, int rows, Shift shift) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        int churned = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("customer_id,tenure_months,monthly_charges,support_calls,usage_trend,region,churned\n");
            for (int i = 0; i < rows; i++) {
                int region = pick(random, shift.regionShare());
                int tenure = 1 + random.nextInt(72);
                double charges = Math.max(15, Math.min(150, shift.chargesMean() + 20 * random.nextGaussian()));
                int calls = poisson(random, 1.5 + shift.extraCalls() + (region == 3 ? 0.8 : 0));
                double trend = random.nextGaussian();
                double logit = -1.0 - 0.04 * (tenure - 36) + 0.02 * (charges - 65) + 0.45 * (calls - 1.5)
                        - 0.9 * trend + REGION_EFFECT[region];
                int label = random.nextDouble() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
                churned += label;
                w.write(String.format(Locale.ROOT, "c%05d,%d,%.2f,%d,%.4f,%s,%d%n",
                        i, tenure, charges, calls, trend, REGIONS[region], label));
            }
        }
        return churned;
    }

    private static int pick(Random random, double[] share) {
        double u = random.nextDouble();
        for (int i = 0; i < share.length; i++) {
            u -= share[i];
            if (u < 0) {
                return i;
            }
        }
        return share.length - 1;
    }

    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit);
        return k - 1;
    }
}
