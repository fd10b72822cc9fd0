package io.modelgate.demo;

import io.modelgate.lineage.DatasetDigester;
import io.modelgate.lineage.DigestCache;
import io.modelgate.lineage.LineageGraph;
import io.modelgate.lineage.LineageQueries;
import io.modelgate.lineage.LineageRecord;
import io.modelgate.lineage.LineageRecorder;
import io.modelgate.lineage.RunFacts;
import io.modelgate.lineage.LineageStore;
import io.modelgate.registry.Actor;
import io.modelgate.registry.BuildInfo;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryConfig;
import io.modelgate.report.LineageReport;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Records the training run's lineage — data, model, parameters, metrics, code, environment — links
 * it to the registered version, and traces the version back to its data, as
 * {@code modelgate lineage record} and {@code lineage trace} do.
 */
final class LineageStage implements DemoStage {
    @Override
    public String name() {
        return "Record lineage of the training run";
    }

    @Override
    public void run(DemoContext c) throws IOException {
        String model = RegistryStage.MODEL + "@" + c.registeredVersion;
        var metrics = c.path("metrics/candidate.json");
        Files.createDirectories(metrics.getParent());
        Files.writeString(metrics, c.verdict.candidate().overall().entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}\n")));
        Instant now = Instant.now();
        try (LineageStore store = LineageStore.open(c.path(".modelgate/registry"));
             Registry registry = Registry.open(c.path(".modelgate/registry").toString(), c.path(".modelgate/cache"),
                     RegistryConfig.defaults())) {
            DatasetDigester digester = new DatasetDigester(DigestCache.load(c.path(".modelgate/digest-cache.tsv")));
            LineageRecorder recorder = new LineageRecorder(store, digester);
            recorder.record(new LineageRecorder.Request(new RunFacts("prepare-data", "modelgate-demo", List.of(),
                    List.of(c.dataset), Map.of("rows", Integer.toString(DataStage.ROWS), "seed", Long.toString(c.seed)),
                    List.of(), List.of(), List.of()), true, c.trainedAt, c.workdir, Map.of()), c.trainedAt);
            LineageRecord record = recorder.record(new LineageRecorder.Request(new RunFacts(
                    "train-churn", "modelgate-demo", List.of(c.dataset),
                    List.of(c.candidateModel, c.candidatePredictions),
                    Map.of("model", "logistic_regression", "l2", "1.0", "split", "70/30", "seed", Long.toString(c.seed)),
                    List.of(metrics), List.of(), List.of(model)), true, c.trainedAt, c.workdir, Map.of()), now);
            registry.linkLineage(RegistryStage.MODEL, c.registeredVersion, record.id(),
                    new Actor("modelgate-demo", BuildInfo.NONE, now));
            c.lineage = new LineageQueries(store).traceModel(RegistryStage.MODEL, c.registeredVersion);
            c.lineagePage = LineageReport.write(c.lineage, "Lineage of " + model, c.path("modelgate-reports"));
            c.registryState = registry.state(RegistryStage.MODEL);
            c.registryHistory = registry.history(RegistryStage.MODEL, 0);
            c.progress.accept("      recorded run " + record.id().substring(0, 12) + " (data sha256 "
                    + record.inputs().get(0).sha256().substring(0, 12) + ", " + record.inputs().get(0).csvRows()
                    + " rows) and linked it to " + model);
        }
    }

    static List<String> describe(LineageGraph g) {
        Map<String, String> labels = g.nodes().stream().collect(Collectors.toMap(LineageGraph.Node::id,
                n -> n.kind().name().toLowerCase(java.util.Locale.ROOT) + " " + n.label()));
        return g.edges().stream().map(e -> labels.get(e.from()) + " --" + e.relation() + "--> " + labels.get(e.to())).toList();
    }
}
