package io.modelgate.rollout;

import java.util.List;
import java.util.Map;

/**
 * What a judge sees at one analysis: the two targets side by side.
 *
 * @param stable          cumulative counts of the stable version
 * @param canary          cumulative counts of the canary
 * @param stableLatencyMs latencies (milliseconds) of the stable version's requests in the last interval
 * @param canaryLatencyMs latencies of the canary's requests in the last interval
 * @param metrics         further named metrics (from Prometheus queries or the router), stable and
 *                        canary values; NaN where a query returned nothing
 * @param earlier         the cumulative counts at earlier looks of the same count (analyses and step
 *                        starts since counting started), oldest first; empty when unknown. The
 *                        relative-risk judge splits the counts into the increments between looks, because
 *                        each increment has its own traffic weights.
 * @param stepStart       the index in {@code earlier} of the look that began the current step (0 when
 *                        unknown): evidence that the canary is not worse is taken from there on, at the
 *                        step's own weight, so an early success at a high weight is not carried by what the
 *                        canary did at a lower one
 * @param notes           what the source could not measure, one sentence each naming the query and what it
 *                        returned (an inconclusive analysis says why)
 */
public record Observations(Counts stable, Counts canary, double[] stableLatencyMs, double[] canaryLatencyMs,
                           Map<String, Pair> metrics, List<Look> earlier, int stepStart, List<String> notes) {
    public Observations {
        stableLatencyMs = stableLatencyMs.clone();
        canaryLatencyMs = canaryLatencyMs.clone();
        metrics = Map.copyOf(metrics);
        earlier = List.copyOf(earlier);
        stepStart = Math.max(0, Math.min(stepStart, earlier.size()));
        notes = List.copyOf(notes);
    }

    /** Without earlier looks: what a metrics source knows by itself. */
    public Observations(Counts stable, Counts canary, double[] stableLatencyMs, double[] canaryLatencyMs,
                        Map<String, Pair> metrics) {
        this(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, List.of(), 0, List.of());
    }

    /** The same observations with the earlier looks a rollout remembers. */
    public Observations withEarlier(List<Look> looks) {
        return withEarlier(looks, 0);
    }

    /** ... and the index of the look that began the current step. */
    public Observations withEarlier(List<Look> looks, int currentStepStart) {
        return new Observations(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, looks, currentStepStart, notes);
    }

    /**
     * The same observations counted on from {@code base}: a resumed rollout's source counts from zero
     * again, and the judges must see the counts since the rollout began.
     */
    public Observations countedOnFrom(Look base) {
        return new Observations(base.stable().plus(stable), base.canary().plus(canary), stableLatencyMs, canaryLatencyMs,
                metrics, earlier, stepStart, notes);
    }

    /** With what the source could not measure. */
    public Observations withNotes(List<String> what) {
        return new Observations(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, earlier, stepStart, what);
    }

    /** One metric for both targets. */
    public record Pair(double stable, double canary) {
    }

    /**
     * Cumulative counts of both targets at one moment.
     *
     * @param stable the stable version's
     * @param canary the canary's
     */
    public record Look(Counts stable, Counts canary) {
    }
}
