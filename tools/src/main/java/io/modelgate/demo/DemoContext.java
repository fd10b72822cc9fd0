package io.modelgate.demo;

import io.modelgate.gate.Verdict;
import io.modelgate.report.ReportFiles;

import java.nio.file.Path;
import java.util.function.Consumer;

/** What the demo's stages hand to each other; one per run. */
final class DemoContext {
    final Path workdir;
    final Consumer<String> progress;
    final long seed;
    Path dataset;
    Path baselineModel;
    Path candidateModel;
    Path baselinePredictions;
    Path candidatePredictions;
    Path policy;
    java.time.Instant trainedAt;
    String registeredVersion;
    io.modelgate.lineage.LineageGraph lineage;
    Path lineagePage;
    io.modelgate.rollout.RolloutState canary;
    Path window;
    io.modelgate.drift.DriftVerdict drift;
    Path driftPage;
    Verdict verdict;
    ReportFiles reports;
    io.modelgate.registry.ModelState registryState;
    java.util.List<io.modelgate.registry.AuditEntry> registryHistory = java.util.List.of();

    DemoContext(Path workdir, long seed, Consumer<String> progress) {
        this.workdir = workdir;
        this.seed = seed;
        this.progress = progress;
    }

    Path path(String relative) {
        return workdir.resolve(relative);
    }
}
