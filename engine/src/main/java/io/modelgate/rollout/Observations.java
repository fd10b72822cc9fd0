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
 * @param predictions     shadow mode: the predictions both versions gave for the mirrored requests since
 *                        counting started; empty elsewhere
 */
public record Observations(Counts stable, Counts canary, double[] stableLatencyMs, double[] canaryLatencyMs,
                           Map<String, Pair> metrics, List<Look> earlier, int stepStart, List<String> notes,
                           Predictions predictions) {
    public Observations {
        stableLatencyMs = stableLatencyMs.clone();
        canaryLatencyMs = canaryLatencyMs.clone();
        metrics = Map.copyOf(metrics);
        earlier = List.copyOf(earlier);
        stepStart = Math.max(0, Math.min(stepStart, earlier.size()));
        notes = List.copyOf(notes);
        predictions = predictions == null ? Predictions.NONE : predictions;
    }

    /** Without predictions. */
    public Observations(Counts stable, Counts canary, double[] stableLatencyMs, double[] canaryLatencyMs,
                        Map<String, Pair> metrics, List<Look> earlier, int stepStart, List<String> notes) {
        this(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, earlier, stepStart, notes, Predictions.NONE);
    }

    /** With the predictions a shadow rollout compares. */
    public Observations withPredictions(Predictions p) {
        return new Observations(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, earlier, stepStart, notes, p);
    }

    /**
     * The predictions (numbers a JSON pointer picked from the response bodies) of both versions for the same
     * mirrored requests; a uniform sample when there were more than the source keeps.
     *
     * @param stable   the stable version's
     * @param canary   the canary's
     * @param unscored mirrored answers without a number at the pointer (not JSON, missing, not a number)
     */
    public record Predictions(double[] stable, double[] canary, long unscored) {
        public static final Predictions NONE = new Predictions(new double[0], new double[0], 0);

        public Predictions {
            stable = stable.clone();
            canary = canary.clone();
        }

        @Override
        public double[] stable() {
            return stable.clone();
        }

        @Override
        public double[] canary() {
            return canary.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Predictions p && java.util.Arrays.equals(stable, p.stable)
                    && java.util.Arrays.equals(canary, p.canary) && unscored == p.unscored;
        }

        @Override
        public int hashCode() {
            return 31 * (31 * java.util.Arrays.hashCode(stable) + java.util.Arrays.hashCode(canary)) + Long.hashCode(unscored);
        }

        @Override
        public String toString() {
            return "Predictions[" + stable.length + " stable, " + canary.length + " canary, " + unscored + " unscored]";
        }
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
        return new Observations(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, looks, currentStepStart, notes, predictions);
    }

    /**
     * The same observations counted on from {@code base}: a resumed rollout's source counts from zero
     * again, and the judges must see the counts since the rollout began.
     */
    public Observations countedOnFrom(Look base) {
        return new Observations(base.stable().plus(stable), base.canary().plus(canary), stableLatencyMs, canaryLatencyMs,
                metrics, earlier, stepStart, notes, predictions);
    }

    /** With what the source could not measure. */
    public Observations withNotes(List<String> what) {
        return new Observations(stable, canary, stableLatencyMs, canaryLatencyMs, metrics, earlier, stepStart, what, predictions);
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
