package io.modelgate.gate;

import io.modelgate.metrics.Metric;
import io.modelgate.metrics.Task;

import java.util.List;

/**
 * What a candidate must meet: the thresholds of a policy file, flattened in file order.
 *
 * @param source          the file it was read from, for messages
 * @param thresholds      every check
 * @param requireBaseline whether change checks fail (rather than are skipped) when no baseline is given
 * @param sliceCorrection how the significance checks of slices share one error rate
 * @param confidence      the policy's confidence: intervals are computed and shown at it (a metric may
 *                        test at its own)
 */
public record Policy(String source, List<Threshold> thresholds, boolean requireBaseline, SliceCorrection sliceCorrection,
                     double confidence) {
    public Policy {
        thresholds = List.copyOf(thresholds);
    }

    public Policy(String source, List<Threshold> thresholds, boolean requireBaseline) {
        this(source, thresholds, requireBaseline, SliceCorrection.HOLM, Threshold.DEFAULT_CONFIDENCE);
    }

    /**
     * Rejects a policy that asks for a metric the engine does not compute for this task, because
     * the gate would otherwise fail with "missing metric" for a mistake in the policy.
     */
    public void checkComputable(Task task) {
        for (Threshold t : thresholds) {
            var known = Metric.byName(t.metric());
            if (known.isEmpty()) {
                throw new GateException(source + ": metrics." + t.metric()
                        + ": a custom metric cannot be computed from predictions; pass it in a --metrics file");
            }
            if (!known.get().appliesTo(task)) {
                throw new GateException(source + ": metrics." + t.metric() + ": not computed for "
                        + task.name().toLowerCase(java.util.Locale.ROOT) + " predictions (see --task)");
            }
        }
    }
}
