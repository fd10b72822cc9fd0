package io.modelgate.step;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.modelgate.common.ExitCodes;
import io.modelgate.common.PathChecks;
import io.modelgate.common.Workspace;
import io.modelgate.drift.ColumnDrift;
import io.modelgate.drift.Drift;
import io.modelgate.drift.DriftPolicy;
import io.modelgate.drift.DriftPolicyReader;
import io.modelgate.drift.DriftVerdict;
import io.modelgate.report.DriftReport;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Compares a current window of data with the reference data, column by column, as {@code modelgate
 * drift} and the checkDrift step do, and writes the reports.
 */
public final class DriftCheck {
    private DriftCheck() {
    }

    /**
     * What to compare; paths are resolved against the workspace.
     *
     * @param policy     the drift policy; empty for Evidently's defaults
     * @param reportDir  where the reports go; empty for the workspace's default
     * @param failOnWarn whether a drifted column fails too, not only a drifted data set
     */
    public record Request(Path reference, Path current, Optional<Path> policy, Optional<Path> reportDir,
                          boolean failOnWarn) {
    }

    public record Result(DriftVerdict verdict, DriftReport.Written files, boolean failOnWarn) {
        /** 2 when a column has not enough data to be judged; 1 when the data drifted; else 0. */
        public int exitCode() {
            if (error().isPresent()) {
                return ExitCodes.BAD_INPUT;
            }
            return verdict.failsBuild(failOnWarn) ? ExitCodes.FAILED : ExitCodes.OK;
        }

        /**
         * The reports are written so a person can look, but a column that cannot be judged is bad input: this
         * says which (one line, without the {@code modelgate:} of the command line).
         */
        public Optional<String> error() {
            if (verdict.notEnoughData().isEmpty()) {
                return Optional.empty();
            }
            ColumnDrift first = verdict.notEnoughData().get(0);
            int more = verdict.notEnoughData().size() - 1;
            return Optional.of(verdict.inputs().current() + ": " + first.message()
                    + (more > 0 ? " (and " + more + " more)" : "")
                    + "; leave such columns out with 'ignore:' in the drift policy");
        }

        /** The result's document, drift.json's shape. */
        public ObjectNode document() {
            return DriftReport.document(verdict);
        }

        public String json() {
            return DriftReport.json(verdict);
        }
    }

    public static Result run(Request r, Workspace ws) {
        Optional<Path> given = r.reportDir().map(ws::resolve);
        given.ifPresent(d -> PathChecks.checkOutputDirectory("--report-dir", d));
        DriftPolicy p = r.policy().map(f -> DriftPolicyReader.read(ws.resolve(f))).orElseGet(DriftPolicy::defaults);
        DriftVerdict verdict = Drift.evaluate(ws.resolve(r.reference()), ws.resolve(r.current()), p, Instant.now());
        DriftReport.Written files = DriftReport.write(verdict, given.orElseGet(ws::reportDir));
        return new Result(verdict, files, r.failOnWarn());
    }
}
