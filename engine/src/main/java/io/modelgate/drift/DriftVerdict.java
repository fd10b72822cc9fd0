package io.modelgate.drift;

import io.modelgate.gate.Status;
import io.modelgate.metrics.MetricSet;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The result of a drift check, with the gate's Status so a Jenkins step maps both alike.
 *
 * @param status           FAIL when the data set drifted (or the prediction did and the policy says it fails),
 *                         WARN when some column drifted or a PSI is in the warn band, else PASS
 * @param summary          one line for logs and check titles
 * @param columns          one per compared column, in the reference's column order
 * @param drifted          columns that drifted
 * @param evaluated        columns judged (NOT_ENOUGH_DATA ones are not)
 * @param driftShareThreshold the policy's share at which the data set counts as drifted
 * @param datasetDrift     whether drifted / evaluated reached that share
 * @param predictionColumn the prediction's column name, or empty when neither window has it
 * @param referenceMetrics the gate's metrics on the reference; empty without labels and scores
 * @param currentMetrics   the gate's metrics on the current window; empty without labels and scores
 * @param inputs           where the inputs came from
 * @param evaluatedAt      when the check ran
 */
public record DriftVerdict(Status status, String summary, List<ColumnDrift> columns, int drifted, int evaluated,
                           double driftShareThreshold, boolean datasetDrift, String predictionColumn,
                           MetricSet referenceMetrics, MetricSet currentMetrics, DriftInputs inputs, Instant evaluatedAt) {
    public DriftVerdict {
        columns = List.copyOf(columns);
    }

    /** drifted / evaluated; 0 when nothing was evaluated. */
    public double driftedShare() {
        return evaluated == 0 ? 0 : (double) drifted / evaluated;
    }

    public Optional<ColumnDrift> prediction() {
        return columns.stream().filter(c -> c.role() == ColumnDrift.Role.PREDICTION).findFirst();
    }

    /** Columns that could not be judged: empty on a side, or one value in both. */
    public List<ColumnDrift> notEnoughData() {
        return columns.stream().filter(c -> c.outcome() == ColumnDrift.Outcome.NOT_ENOUGH_DATA).toList();
    }

    public long count(ColumnDrift.Outcome outcome) {
        return columns.stream().filter(c -> c.outcome() == outcome).count();
    }

    /** Whether a build should fail; with {@code failOnWarn} a WARN fails it too. */
    public boolean failsBuild(boolean failOnWarn) {
        return status == Status.FAIL || (failOnWarn && status == Status.WARN);
    }
}
