package io.modelgate.cli;

import io.modelgate.gate.Gate;
import io.modelgate.gate.GateInputs;
import io.modelgate.gate.Policy;
import io.modelgate.gate.PolicyReader;
import io.modelgate.gate.Verdict;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsCalculator;
import io.modelgate.metrics.MetricsFileReader;
import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.metrics.PredictionsReader;
import io.modelgate.metrics.Task;
import io.modelgate.report.GateReport;
import io.modelgate.registry.Registry;
import io.modelgate.report.ReportFiles;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a candidate model against a policy of metric thresholds.",
                "Metrics come from a metrics file, or are computed from a predictions CSV (gzip allowed).",
                "Writes verdict.json, junit.xml, verdict.md and gate.html to the report directory,",
                "and refreshes its index.html."})
final class ValidateCommand implements Callable<Integer> {
    @Option(names = "--policy", required = true, paramLabel = "FILE", description = "Policy file (YAML); see docs/policy.md.")
    Path policy;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Candidate candidate;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Baseline baseline;

    @CommandLine.Mixin
    PredictionOptions predictionOptions;

    @Option(names = "--register", paramLabel = "NAME[@VERSION]",
            description = "Record the verdict and metrics in the registry against NAME@VERSION, or register --artifact "
                    + "as the next version of NAME and record it there.")
    String register;

    @Option(names = "--artifact", paramLabel = "PATH",
            description = "The model artifact that was judged; its SHA-256 ties the verdict to the registered version.")
    Path artifact;

    @CommandLine.Mixin
    RegistryCommand.RegistryOptions registryOptions;

    @Option(names = "--report-dir", paramLabel = "DIR",
            description = "Where to write the reports (default: $MODELGATE_REPORT_DIR, else modelgate-reports).")
    Path reportDir;

    @Option(names = "--json", description = "Print the verdict as JSON (the shape of verdict.json) instead of text.")
    boolean json;

    @Option(names = "--fail-on", paramLabel = "LEVEL", defaultValue = "fail",
            description = "Exit 1 on this status or worse: fail (default) or warn.")
    FailOn failOn;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    enum FailOn { fail, warn }

    static final class Candidate {
        @Option(names = "--metrics", paramLabel = "FILE", description = "The candidate's metrics (JSON or CSV).")
        Path metrics;
        @Option(names = "--predictions", paramLabel = "FILE", description = "The candidate's predictions (CSV, gzip allowed).")
        Path predictions;
    }

    static final class Baseline {
        @Option(names = "--baseline-metrics", paramLabel = "FILE", description = "The baseline's metrics, for change thresholds.")
        Path metrics;
        @Option(names = "--baseline-predictions", paramLabel = "FILE", description = "The baseline's predictions, for change thresholds.")
        Path predictions;
        @Option(names = "--baseline-model", paramLabel = "NAME@STAGE", description = "Take the baseline's metrics from the "
                + "registry: the verdict recorded for NAME@production, NAME@champion or NAME@vX.Y.Z.")
        String model;
    }

    @Override
    public Integer call() {
        // Every flag is checked before anything is read at length or written: a bad --register must fail before
        // the reports of a verdict it never recorded are on disk.
        checkRegistration();
        Inputs.checkOutputDirectory("--report-dir", reportDir);
        Policy p = PolicyReader.read(policy);
        PredictionsFormat format = predictionOptions.format();
        if (candidate.predictions != null) {
            p.checkComputable(format.task());
        }
        MetricSet cand = load(candidate.metrics, candidate.predictions, format);
        Registry registry = register != null || (baseline != null && baseline.model != null) ? registryOptions.open() : null;
        try {
            return judge(p, cand, format, registry);
        } finally {
            if (registry != null) {
                registry.close();
            }
        }
    }

    /** --register and --artifact: what they name is well formed and there, before any work. */
    private void checkRegistration() {
        if (artifact != null && register == null) {
            throw new UsageException("--artifact goes with --register NAME (it ties the verdict to a registered version)");
        }
        if (register == null) {
            return;
        }
        int at = register.indexOf('@');
        io.modelgate.common.Names.ref("--register", at < 0 ? register : register.substring(0, at));
        if (at >= 0) {
            io.modelgate.common.Names.ref("--register", register.substring(at + 1));
        } else if (artifact == null) {
            throw new UsageException("--register " + register + " registers a new version and needs --artifact; "
                    + "or name a version: " + register + "@vX.Y.Z");
        }
        if (artifact != null) {
            Inputs.checkArtifact("--artifact", artifact);
        }
    }

    private Integer judge(Policy p, MetricSet cand, PredictionsFormat format, Registry registry) {
        MetricSet base;
        String baseName;
        if (baseline == null) {
            base = MetricSet.empty();
            baseName = "";
        } else if (baseline.model != null) {
            base = registry.baselineMetrics(baseline.model);
            baseName = "registry: " + baseline.model + " (" + registry.resolve(baseline.model).version() + ")";
        } else {
            base = load(baseline.metrics, baseline.predictions, format);
            baseName = String.valueOf(baseline.metrics != null ? baseline.metrics : baseline.predictions);
        }
        GateInputs inputs = new GateInputs(policy.toString(),
                String.valueOf(candidate.metrics != null ? candidate.metrics : candidate.predictions), baseName);
        Verdict verdict = Gate.evaluate(p, cand, base, inputs, Instant.now());
        // The registry first: it checks what only it knows (the version exists, the artifact's digest is that
        // version's), and a refusal there leaves no reports behind for a verdict that was not recorded.
        Registry.Outcome recorded = register == null ? null
                : registry.recordVerdict(register, Optional.ofNullable(artifact), verdict, registryOptions.actor());
        ReportFiles files = GateReport.write(verdict, reportDir(reportDir, Main.invocation(spec)));
        Terminal out = Terminal.out(spec);
        if (!json) {
            VerdictPrinter.print(verdict, files, out);
        }
        if (recorded != null) {
            // Status lines go to stderr with --json so standard output stays one JSON document.
            (json ? Terminal.err(spec) : out).line("Recorded the verdict in the registry: "
                    + ((io.modelgate.registry.Decision.Change) recorded.decision()).event().describe());
        }
        if (json) {
            out.raw().println(recorded == null ? GateReport.json(verdict) : withRegistry(GateReport.json(verdict),
                    new io.modelgate.registry.RegistryDocuments().outcome(recorded)));
        }
        out.flush();
        return verdict.failsBuild(failOn == FailOn.warn) ? Main.FAILED : Main.OK;
    }

    /** The verdict and, under "registry", what the registry recorded: one document, so a step learns the version too. */
    private static String withRegistry(String verdictJson, String outcomeJson) {
        try {
            var mapper = io.modelgate.common.RecordJson.mapper();
            var verdictNode = (com.fasterxml.jackson.databind.node.ObjectNode) mapper.readTree(verdictJson);
            verdictNode.set("registry", mapper.readTree(outcomeJson));
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(verdictNode);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("the verdict and registry documents are JSON we wrote", e);
        }
    }

    private MetricSet load(Path metricsFile, Path predictionsFile, PredictionsFormat format) {
        if (metricsFile != null) {
            return MetricsFileReader.read(metricsFile);
        }
        return MetricsCalculator.compute(PredictionsReader.read(predictionsFile, format), predictionOptions.threshold);
    }

    /** How to read predictions files; shared by every command that reads them. */
    static final class PredictionOptions {
        @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
                description = "Column with the true label (default: ${DEFAULT-VALUE}).")
        String labelColumn;
        @Option(names = "--score-column", paramLabel = "NAME", defaultValue = "score",
                description = "Column with the model's score (default: ${DEFAULT-VALUE}).")
        String scoreColumn;
        @Option(names = "--slice-column", paramLabel = "NAME", split = ",",
                description = "Column to compute per-slice metrics for; repeat or separate with commas.")
        List<String> sliceColumns = new ArrayList<>();
        @Option(names = "--task", paramLabel = "TASK", defaultValue = "classification",
                description = "classification (labels 0/1) or regression (default: ${DEFAULT-VALUE}).")
        String task;
        @Option(names = "--threshold", paramLabel = "P", defaultValue = "0.5",
                description = "Decision threshold for accuracy, precision, recall and F1 (default: ${DEFAULT-VALUE}).")
        double threshold;

        PredictionsFormat format() {
            Task t = switch (task.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "classification", "binary", "classifier" -> Task.CLASSIFICATION;
                case "regression", "regressor" -> Task.REGRESSION;
                default -> throw new UsageException("--task: expected classification or regression, found '" + task + "'");
            };
            if (!(threshold >= 0 && threshold <= 1) && t == Task.CLASSIFICATION) {
                throw new UsageException("--threshold: expected a probability between 0 and 1, found " + threshold);
            }
            return new PredictionsFormat(labelColumn, scoreColumn, sliceColumns, t);
        }
    }

    /** The report folder: the one given, else $MODELGATE_REPORT_DIR, else modelgate-reports; relative to the working directory. */
    static Path reportDir(Path given, Invocation here) {
        return given != null ? given : here.path(here.env("MODELGATE_REPORT_DIR").orElse("modelgate-reports"));
    }
}
