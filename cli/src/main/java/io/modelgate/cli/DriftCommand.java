package io.modelgate.cli;

import io.modelgate.drift.ColumnDrift;
import io.modelgate.drift.Drift;
import io.modelgate.drift.DriftPolicy;
import io.modelgate.drift.DriftPolicyReader;
import io.modelgate.drift.DriftVerdict;
import io.modelgate.report.DriftReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;

@Command(name = "drift", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare a current window of data with the reference (training) data, column by column.",
                "KS / chi-square up to 1,000 reference rows, normed Wasserstein / Jensen-Shannon above; PSI on request.",
                "Writes drift.json, drift-junit.xml, drift.md and drift.html to the report directory.",
                "Exit 1 when the data set drifted, 2 on bad input or a column with not enough data."})
final class DriftCommand extends CliCommand {
    @Option(names = "--reference", required = true, paramLabel = "FILE", description = "Reference data (CSV, gzip allowed).")
    Path reference;

    @Option(names = "--current", required = true, paramLabel = "FILE", description = "Current window (CSV, gzip allowed).")
    Path current;

    @Option(names = "--policy", paramLabel = "FILE", description = "Drift policy (YAML); see docs/drift.md. Default: Evidently's defaults.")
    Path policy;

    @CommandLine.Mixin
    JudgementOptions judgement;

    @Option(names = "--json", description = "Print the result as JSON (the shape of drift.json) instead of text.")
    boolean json;

    @Override
    public Integer call() {
        Terminal out = Terminal.out(spec);
        Terminal err = Terminal.err(spec);
        Inputs.checkOutputDirectory("--report-dir", judgement.reportDir);
        DriftPolicy p = policy == null ? DriftPolicy.defaults() : DriftPolicyReader.read(policy);
        DriftVerdict verdict = Drift.evaluate(reference, current, p, Instant.now());
        DriftReport.Written files = DriftReport.write(verdict, ValidateCommand.reportDir(judgement.reportDir, Main.invocation(spec)));
        if (json) {
            out.raw().println(DriftReport.json(verdict));
        } else {
            print(verdict, files, out);
        }
        out.flush();
        if (!verdict.notEnoughData().isEmpty()) {
            // Reports are written so a person can look, but a column that cannot be judged is bad input.
            ColumnDrift first = verdict.notEnoughData().get(0);
            err.line("modelgate: " + verdict.inputs().current() + ": " + first.message()
                    + (verdict.notEnoughData().size() > 1 ? " (and " + (verdict.notEnoughData().size() - 1) + " more)" : "")
                    + "; leave such columns out with 'ignore:' in the drift policy");
            err.flush();
            return Main.BAD_INPUT;
        }
        return verdict.failsBuild(judgement.failOnWarn()) ? Main.FAILED : Main.OK;
    }

    /** The verdict for a build log, worst column first; column names come from the data, so through a {@link Terminal}. */
    static void print(DriftVerdict v, DriftReport.Written files, Terminal out) {
        out.line("Modelgate drift: " + v.summary());
        for (ColumnDrift c : DriftPrinter.worstFirst(v)) {
            out.line("  %-16s %s", c.outcome().name().replace('_', ' '), c.message());
        }
        if (!v.currentMetrics().isEmpty()) {
            out.line("Metrics on the current window: " + DriftPrinter.metrics(v.currentMetrics())
                    + (v.referenceMetrics().isEmpty() ? "" : "  (reference: " + DriftPrinter.metrics(v.referenceMetrics()) + ")"));
        }
        out.line("Reports: " + files.html() + " (also " + DriftReport.JSON + ", " + DriftReport.JUNIT + ", "
                + DriftReport.MARKDOWN + ")");
    }

    /** Small formatting helpers for the text output. */
    static final class DriftPrinter {
        private DriftPrinter() {
        }

        static java.util.List<ColumnDrift> worstFirst(DriftVerdict v) {
            return v.columns().stream().sorted(java.util.Comparator.comparingInt(c -> switch (c.outcome()) {
                case DRIFT -> 0;
                case WARN -> 1;
                case NOT_ENOUGH_DATA -> 2;
                case NO_DRIFT -> 3;
            })).toList();
        }

        static String metrics(io.modelgate.metrics.MetricSet m) {
            StringBuilder s = new StringBuilder();
            for (String k : new String[] {"roc_auc", "log_loss", "accuracy", "rmse", "mae"}) {
                Double v = m.overall().get(k);
                if (v != null) {
                    s.append(s.length() == 0 ? "" : ", ").append(k).append(' ')
                            .append(io.modelgate.common.Numbers.format(Math.round(v * 1e4) / 1e4));
                }
            }
            return s.toString();
        }
    }
}
