package io.modelgate.demo;

import io.modelgate.drift.Drift;
import io.modelgate.drift.DriftPolicyReader;
import io.modelgate.report.DriftReport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Instant;

/** Compares the production window with the training data, as the scheduled drift job does (docs/drift.md). */
final class DriftStage implements DemoStage {
    @Override
    public String name() {
        return "Check drift";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        var policy = c.path("drift.yaml");
        try (InputStream in = DriftStage.class.getResourceAsStream("drift.yaml")) {
            Files.copy(in, policy, StandardCopyOption.REPLACE_EXISTING);
        }
        c.drift = Drift.evaluate(c.path("data/customers.csv"), c.path(WindowStage.WINDOW), DriftPolicyReader.read(policy),
                Instant.now());
        c.driftPage = DriftReport.write(c.drift, c.path("modelgate-reports")).html();
        c.progress.accept("      " + c.drift.summary());
    }
}
