package io.modelgate.demo;

import io.modelgate.gate.Gate;
import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Policy;
import io.modelgate.gate.PolicyReader;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.metrics.PredictionsReader;
import io.modelgate.report.GateReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/** Judges the candidate against the baseline with the demo's policy, exactly as {@code modelgate validate} does. */
final class ValidateStage implements DemoStage {
    @Override
    public String name() {
        return "Validate candidate (model gate)";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        c.policy = c.path("policy.yaml");
        try (InputStream in = ValidateStage.class.getResourceAsStream("policy.yaml")) {
            Files.copy(in, c.policy, StandardCopyOption.REPLACE_EXISTING);
        }
        Policy policy = PolicyReader.read(c.policy);
        PredictionsFormat format = PredictionsFormat.defaults().withSlices(List.of("region"));
        MetricSet candidate = MetricsCalculator.compute(PredictionsReader.read(c.candidatePredictions, format), 0.5);
        MetricSet baseline = MetricsCalculator.compute(PredictionsReader.read(c.baselinePredictions, format), 0.5);
        var inputs = new GateInputs(rel(c, c.policy), rel(c, c.candidatePredictions), rel(c, c.baselinePredictions));
        c.verdict = Gate.evaluate(policy, candidate, baseline, inputs, Instant.now());
        c.reports = GateReport.write(c.verdict, c.path("modelgate-reports"));
        c.progress.accept("      " + c.verdict.summary());
    }

    private static String rel(DemoContext c, Path p) {
        return c.workdir.relativize(p).toString();
    }
}
