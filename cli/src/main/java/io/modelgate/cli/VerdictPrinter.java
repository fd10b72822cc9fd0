package io.modelgate.cli;

import io.modelgate.common.Numbers;
import io.modelgate.gate.RuleResult;
import io.modelgate.gate.Verdict;
import io.modelgate.report.ReportFiles;

import java.util.Comparator;

/**
 * The verdict as a few lines for a build log: failures first, each with its reason. Metric and slice names and
 * paths come from the user's files, so the lines go through a {@link Terminal}.
 */
final class VerdictPrinter {
    private VerdictPrinter() {
    }

    static void print(Verdict verdict, ReportFiles files, Terminal out) {
        out.line("Modelgate gate: " + verdict.summary());
        verdict.results().stream()
                .sorted(Comparator.comparingInt(VerdictPrinter::rank))
                .forEach(r -> out.line("  %-7s %-32s %10s  %s", r.outcome(), r.metric() + "[" + r.slice() + "]",
                        Double.isNaN(r.value()) ? "-" : Numbers.format(r.value()), r.message()));
        out.line("Reports: " + files.html() + " (also " + files.json().getFileName() + ", "
                + files.junit().getFileName() + ", " + files.markdown().getFileName() + "; every page: "
                + files.index().getFileName() + ")");
    }

    private static int rank(RuleResult r) {
        return switch (r.outcome()) {
            case FAIL -> 0;
            case WARN -> 1;
            case SKIPPED -> 3;
            case PASS -> 2;
        };
    }
}
