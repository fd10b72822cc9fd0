package io.modelgate.cli;

import io.modelgate.metrics.PredictionsFormat;
import io.modelgate.step.Validation;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Command(name = "validate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Judge a candidate model against a policy of metric thresholds.",
                "Metrics come from a metrics file, or are computed from a predictions CSV (gzip allowed).",
                "Writes verdict.json, junit.xml, verdict.md and gate.html to the report directory,",
                "and refreshes its index.html."})
final class ValidateCommand extends CliCommand {
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

    @CommandLine.Mixin
    JudgementOptions judgement;

    @Option(names = "--json", description = "Print the verdict as JSON (the shape of verdict.json) instead of text.")
    boolean json;

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
        @Option(names = "--baseline-score-column", paramLabel = "NAME", description = "The baseline's scores are this column "
                + "of the candidate's --predictions file: changes are judged paired, row by row.")
        String scoreColumn;
    }

    @Option(names = "--id-column", paramLabel = "NAME", description = "Join --predictions and --baseline-predictions on "
            + "this column (one row per id in each) and judge changes paired.")
    String idColumn;

    @Override
    public Integer call() {
        Validation.Source cand = candidate.metrics != null ? new Validation.MetricsFile(candidate.metrics)
                : new Validation.PredictionsFile(candidate.predictions);
        if (idColumn != null && (baseline == null || baseline.predictions == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--id-column joins two predictions files: it needs --baseline-predictions");
        }
        Validation.Baseline base = baseline == null ? new Validation.NoBaseline()
                : baseline.model != null ? new Validation.RegisteredBaseline(baseline.model)
                : baseline.metrics != null ? new Validation.MetricsFile(baseline.metrics)
                : baseline.scoreColumn != null ? new Validation.BaselineScoreColumn(baseline.scoreColumn)
                : idColumn != null ? new Validation.PairedPredictionsFile(baseline.predictions, idColumn)
                : new Validation.PredictionsFile(baseline.predictions);
        Validation.Result result = Validation.run(new Validation.Request(policy, cand, base,
                predictionOptions.predictions(), Optional.ofNullable(register), Optional.ofNullable(artifact),
                registryOptions.access(), Optional.ofNullable(judgement.reportDir), judgement.failOnWarn()),
                Main.invocation(spec).workspace());
        Terminal out = Terminal.out(spec);
        if (!json) {
            VerdictPrinter.print(result.verdict(), result.files(), out);
        }
        // Status lines go to stderr with --json so standard output stays one JSON document.
        result.recordedLine().ifPresent(line -> (json ? Terminal.err(spec) : out).line(line));
        if (json) {
            out.raw().println(result.json());
        }
        out.flush();
        return result.exitCode();
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

        /** As the engine's use-cases take them. */
        Validation.Predictions predictions() {
            return new Validation.Predictions(labelColumn, scoreColumn, sliceColumns, task, threshold);
        }

        /** The format, checked: a task that is neither, a threshold that is no probability, are bad input. */
        PredictionsFormat format() {
            return predictions().format();
        }
    }

    /** The report folder: the one given, else $MODELGATE_REPORT_DIR, else modelgate-reports; relative to the working directory. */
    static Path reportDir(Path given, Invocation here) {
        return given != null ? given : here.path(here.env("MODELGATE_REPORT_DIR").orElse("modelgate-reports"));
    }
}
