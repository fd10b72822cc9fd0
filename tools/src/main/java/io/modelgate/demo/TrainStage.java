package io.modelgate.demo;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Trains two logistic regressions on 70% of the customers and scores the other 30%: the baseline
 * (today's production model) sees tenure and charges only; the candidate sees every feature.
 */
final class TrainStage implements DemoStage {
    @Override
    public String name() {
        return "Train baseline and candidate";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        c.trainedAt = java.time.Instant.now();
        List<String[]> rows = Files.readAllLines(c.dataset).stream().skip(1).map(l -> l.split(",")).toList();
        List<String[]> train = new ArrayList<>();
        List<String[]> holdout = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            (i % 10 < 7 ? train : holdout).add(rows.get(i));
        }
        double[] y = train.stream().mapToDouble(r -> Double.parseDouble(r[6])).toArray();
        LogisticModel baseline = LogisticModel.fit(matrix(train, false), y, 1.0);
        LogisticModel candidate = LogisticModel.fit(matrix(train, true), y, 1.0);
        c.baselineModel = c.path("models/baseline.json");
        c.candidateModel = c.path("models/candidate.json");
        Files.createDirectories(c.candidateModel.getParent());
        Files.writeString(c.baselineModel, baseline.toJson(List.of("tenure_months", "monthly_charges")));
        Files.writeString(c.candidateModel, candidate.toJson(List.of("tenure_months", "monthly_charges", "support_calls",
                "usage_trend", "region=us", "region=apac", "region=latam", "region=mea")));
        c.baselinePredictions = c.path("predictions/baseline.csv");
        c.candidatePredictions = c.path("predictions/candidate.csv");
        write(c.baselinePredictions, holdout, matrix(holdout, false), baseline);
        write(c.candidatePredictions, holdout, matrix(holdout, true), candidate);
        c.progress.accept(String.format(Locale.ROOT, "      trained on %d rows, scored %d held-out rows -> %s, %s",
                train.size(), holdout.size(), c.workdir.relativize(c.baselinePredictions),
                c.workdir.relativize(c.candidatePredictions)));
    }

    /** The features of customer rows (as {@link DataStage} writes them): the baseline's two, or all of the candidate's. */
    static double[][] matrix(List<String[]> rows, boolean allFeatures) {
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < x.length; i++) {
            String[] r = rows.get(i);
            double tenure = Double.parseDouble(r[1]);
            double charges = Double.parseDouble(r[2]);
            if (!allFeatures) {
                x[i] = new double[]{tenure, charges};
                continue;
            }
            double[] row = new double[4 + DataStage.REGIONS.length - 1];
            row[0] = tenure;
            row[1] = charges;
            row[2] = Double.parseDouble(r[3]);
            row[3] = Double.parseDouble(r[4]);
            int region = Arrays.asList(DataStage.REGIONS).indexOf(r[5]);
            if (region > 0) {
                row[3 + region] = 1;
            }
            x[i] = row;
        }
        return x;
    }

    private static void write(Path file, List<String[]> rows, double[][] x, LogisticModel model) throws IOException {
        Files.createDirectories(file.getParent());
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("customer_id,label,score,region\n");
            for (int i = 0; i < x.length; i++) {
                String[] r = rows.get(i);
                w.write(String.format(Locale.ROOT, "%s,%s,%.6f,%s%n", r[0], r[6], model.predict(x[i]), r[5]));
            }
        }
    }
}
