package io.modelgate.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.common.ExitCodes;
import io.modelgate.common.InputException;
import io.modelgate.common.Names;
import io.modelgate.common.PathChecks;
import io.modelgate.common.RecordJson;
import io.modelgate.common.Workspace;
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
import io.modelgate.metrics.PairedPredictions;
import io.modelgate.metrics.Task;
import io.modelgate.metrics.Uncertainties;
import io.modelgate.metrics.Uncertainty;
import io.modelgate.registry.Decision;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryAccess;
import io.modelgate.registry.RegistryDocuments;
import io.modelgate.report.GateReport;
import io.modelgate.report.ReportFiles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges a candidate model against a policy, as {@code modelgate validate} and the validateModel step
 * do: reads the policy and the candidate's metrics (or computes them from predictions), takes the
 * baseline's from a file or the registry, evaluates the gate, records the verdict in the registry when
 * asked, and writes the reports. Every argument is checked before anything is read at length or
 * written: a bad {@code register} fails before the reports of a verdict it never recorded are on disk.
 */
public final class Validation {
    /**
     * The bootstrap's seed: fixed, so the same predictions always give the same intervals and the
     * same verdict (the bootstrap only serves metrics without a closed-form variance).
     */
    static final long SEED = 0x6d6f64656c676174L;

    private Validation() {
    }

    /** Where metrics come from: a metrics file, or predictions they are computed from. */
    public sealed interface Source {
        Path file();
    }

    /** A metrics file, JSON or CSV. */
    public record MetricsFile(Path file) implements Source, Baseline {
    }

    /** A predictions CSV (gzip allowed); metrics and their intervals are computed from it. */
    public record PredictionsFile(Path file) implements Source, Baseline {
    }

    /**
     * The baseline's predictions of the same examples as the candidate's, joined on an id column, so
     * changes are judged paired: the noise of which rows were drawn cancels out.
     */
    public record PairedPredictionsFile(Path file, String idColumn) implements Baseline {
    }

    /** The baseline's scores in another column of the candidate's own predictions file: paired row by row. */
    public record BaselineScoreColumn(String column) implements Baseline {
    }

    /** What change thresholds compare against. */
    public sealed interface Baseline {
    }

    /** No baseline: change thresholds are skipped. */
    public record NoBaseline() implements Baseline {
    }

    /** The verdict recorded for a registered version: {@code NAME@production}, {@code NAME@champion}, {@code NAME@vX.Y.Z}. */
    public record RegisteredBaseline(String reference) implements Baseline {
    }

    /**
     * How predictions files are read, as given (checked when the validation runs).
     *
     * @param task      {@code classification} or {@code regression} (or {@code binary}, {@code classifier},
     *                  {@code regressor})
     * @param threshold the decision threshold for accuracy, precision, recall and F1
     */
    public record Predictions(String labelColumn, String scoreColumn, List<String> sliceColumns, String task,
                              double threshold) {
        public static final String DEFAULT_LABEL = "label";
        public static final String DEFAULT_SCORE = "score";
        public static final String DEFAULT_TASK = "classification";
        public static final double DEFAULT_THRESHOLD = 0.5;

        public Predictions {
            sliceColumns = List.copyOf(sliceColumns);
        }

        public static Predictions defaults() {
            return new Predictions(DEFAULT_LABEL, DEFAULT_SCORE, List.of(), DEFAULT_TASK, DEFAULT_THRESHOLD);
        }

        /** The format, checked: a task that is neither, a threshold that is no probability, are bad input. */
        public PredictionsFormat format() {
            Task t = switch (task.trim().toLowerCase(Locale.ROOT)) {
                case "classification", "binary", "classifier" -> Task.CLASSIFICATION;
                case "regression", "regressor" -> Task.REGRESSION;
                default -> throw new InputException("--task: expected classification or regression, found '" + task + "'");
            };
            if (!(threshold >= 0 && threshold <= 1) && t == Task.CLASSIFICATION) {
                throw new InputException("--threshold: expected a probability between 0 and 1, found " + threshold);
            }
            return new PredictionsFormat(labelColumn, scoreColumn, sliceColumns, t);
        }
    }

    /**
     * What to validate; paths are resolved against the workspace.
     *
     * @param register   record the verdict on {@code NAME@VERSION}, or register {@code artifact} as the next
     *                   version of {@code NAME} and record it there
     * @param artifact   the model artifact that was judged; its digest ties the verdict to the version
     * @param registry   the registry, when {@code register} or the baseline names it
     * @param reportDir  where the reports go; empty for the workspace's default ({@link Workspace#reportDir()})
     * @param failOnWarn whether a WARN verdict fails too
     */
    public record Request(Path policy, Source candidate, Baseline baseline, Predictions predictions, Optional<String> register,
                          Optional<Path> artifact, RegistryAccess registry, Optional<Path> reportDir, boolean failOnWarn) {
    }

    /**
     * What the validation came to.
     *
     * @param recorded what the registry recorded, when the request said to record the verdict
     */
    public record Result(Verdict verdict, ReportFiles files, Optional<Registry.Outcome> recorded, boolean failOnWarn) {
        /** 1 when the verdict fails the build (FAIL, or WARN when failing on warnings), else 0. */
        public int exitCode() {
            return verdict.failsBuild(failOnWarn) ? ExitCodes.FAILED : ExitCodes.OK;
        }

        /** The line that says what the registry recorded, when it did. */
        public Optional<String> recordedLine() {
            return recorded.map(r -> "Recorded the verdict in the registry: "
                    + ((Decision.Change) r.decision()).event().describe());
        }

        /**
         * The verdict's document (verdict.json's shape) and, under {@code registry}, what the registry
         * recorded: one document, so a step learns the version too.
         */
        public ObjectNode document() {
            ObjectNode doc = GateReport.document(verdict);
            recorded.ifPresent(r -> doc.set("registry", new RegistryDocuments().outcomeDocument(r)));
            return doc;
        }

        /** {@link #document()} as the command line prints it: verdict.json's text, or the combined document. */
        public String json() {
            if (recorded.isEmpty()) {
                return GateReport.json(verdict);
            }
            try {
                return RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("a tree of plain nodes always serialises", e);
            }
        }
    }

    public static Result run(Request r, Workspace ws) {
        Optional<Path> artifact = r.artifact().map(ws::resolve);
        checkRegistration(r.register(), artifact);
        Optional<Path> given = r.reportDir().map(ws::resolve);
        given.ifPresent(d -> PathChecks.checkOutputDirectory("--report-dir", d));
        Path policyFile = ws.resolve(r.policy());
        Policy p = PolicyReader.read(policyFile);
        PredictionsFormat format = r.predictions().format();
        if (r.candidate() instanceof PredictionsFile) {
            p.checkComputable(format.task());
        }
        Path candidate = ws.resolve(r.candidate().file());
        checkPairing(r.candidate(), r.baseline());
        double threshold = r.predictions().threshold();
        boolean needsRegistry = r.register().isPresent() || r.baseline() instanceof RegisteredBaseline;
        try (Registry registry = needsRegistry ? r.registry().open(ws) : null) {
            MetricSet cand;
            MetricSet base;
            Uncertainties paired = Uncertainties.none();
            String baseName;
            if (r.baseline() instanceof PairedPredictionsFile b) {
                Path file = ws.resolve(b.file());
                var both = PairedPredictions.join(candidate, file, format, b.idColumn());
                cand = measure(both.candidate(), threshold, p.confidence());
                base = measure(both.baseline(), threshold, p.confidence());
                paired = Uncertainty.pairedDifference(both.candidate(), both.baseline(), threshold, p.confidence(), SEED);
                baseName = file + " (paired on " + b.idColumn() + ")";
            } else if (r.baseline() instanceof BaselineScoreColumn b) {
                io.modelgate.metrics.Predictions c = PredictionsReader.read(candidate, format);
                io.modelgate.metrics.Predictions o = PredictionsReader.read(candidate, format.withScore(b.column()));
                cand = measure(c, threshold, p.confidence());
                base = measure(o, threshold, p.confidence());
                paired = Uncertainty.pairedDifference(c, o, threshold, p.confidence(), SEED);
                baseName = candidate + " (column " + b.column() + ", paired)";
            } else {
                cand = load(r.candidate(), candidate, format, threshold, p.confidence());
                if (r.baseline() instanceof RegisteredBaseline b) {
                    base = registry.baselineMetrics(b.reference());
                    baseName = "registry: " + b.reference() + " (" + registry.resolve(b.reference()).version() + ")";
                } else if (r.baseline() instanceof Source s) {
                    Path file = ws.resolve(s.file());
                    base = load(s, file, format, threshold, p.confidence());
                    baseName = file.toString();
                } else {
                    base = MetricSet.empty();
                    baseName = "";
                }
            }
            GateInputs inputs = new GateInputs(policyFile.toString(), candidate.toString(), baseName);
            Verdict verdict = Gate.evaluate(p, cand, base, paired, inputs, Instant.now());
            // The registry first: it checks what only it knows (the version exists, the artifact's digest is that
            // version's), and a refusal there leaves no reports behind for a verdict that was not recorded.
            Optional<Registry.Outcome> recorded = r.register()
                    .map(name -> registry.recordVerdict(name, artifact, verdict, r.registry().actor(ws)));
            ReportFiles files = GateReport.write(verdict, given.orElseGet(ws::reportDir));
            return new Result(verdict, files, recorded, r.failOnWarn());
        }
    }

    /** {@code register} and {@code artifact}: what they name is well formed and there, before any work. */
    private static void checkRegistration(Optional<String> name, Optional<Path> artifact) {
        if (artifact.isPresent() && name.isEmpty()) {
            throw new InputException("--artifact goes with --register NAME (it ties the verdict to a registered version)");
        }
        if (name.isEmpty()) {
            return;
        }
        String register = name.get();
        int at = register.indexOf('@');
        Names.ref("--register", at < 0 ? register : register.substring(0, at));
        if (at >= 0) {
            Names.ref("--register", register.substring(at + 1));
        } else if (artifact.isEmpty()) {
            throw new InputException("--register " + register + " registers a new version and needs --artifact; "
                    + "or name a version: " + register + "@vX.Y.Z");
        }
        artifact.ifPresent(a -> PathChecks.checkArtifact("--artifact", a));
    }

    /** A pairing needs the candidate's predictions: a metrics file has no rows to pair. */
    private static void checkPairing(Source candidate, Baseline baseline) {
        boolean pairs = baseline instanceof PairedPredictionsFile || baseline instanceof BaselineScoreColumn;
        if (pairs && !(candidate instanceof PredictionsFile)) {
            throw new InputException(baseline instanceof PairedPredictionsFile
                    ? "--id-column pairs predictions: give the candidate's with --predictions, not a metrics file"
                    : "--baseline-score-column reads the candidate's --predictions file; a metrics file has no scores");
        }
    }

    private static MetricSet load(Source source, Path file, PredictionsFormat format, double threshold, double confidence) {
        if (source instanceof MetricsFile) {
            return MetricsFileReader.read(file);
        }
        return measure(PredictionsReader.read(file, format), threshold, confidence);
    }

    /** The metrics of some predictions with their intervals. */
    private static MetricSet measure(io.modelgate.metrics.Predictions p, double threshold, double confidence) {
        return MetricsCalculator.compute(p, threshold).withIntervals(Uncertainty.estimate(p, threshold, confidence, SEED));
    }
}
