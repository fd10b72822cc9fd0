package io.modelgate.rollout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a rollout stands, persisted after every step and every decision so that a rollout started
 * again after a crash continues where it was, and another process can show or abort it.
 *
 * @param plan          the plan file
 * @param phase         running, paused for a person, promoted or rolled back
 * @param step          index of the current step in the plan
 * @param stepStartedAt when the current step's weight was set
 * @param failures      failed analyses so far
 * @param intervals     every analysis, oldest first
 * @param reason        why it ended or paused, or empty
 * @param updatedAt     when this was written
 */
public record RolloutState(String plan, Phase phase, int step, Instant stepStartedAt, int failures,
                           List<Interval> intervals, String reason, Instant updatedAt) {
    public RolloutState {
        intervals = List.copyOf(intervals);
    }

    /** The life of a rollout; PROMOTED and ROLLED_BACK are final. */
    public enum Phase {
        RUNNING, PAUSED, PROMOTED, ROLLED_BACK;

        public boolean done() {
            return this == PROMOTED || this == ROLLED_BACK;
        }
    }

    /**
     * One analysis: the weight, what each target served so far, each judge's call, and the decision.
     */
    public record Interval(Instant at, int step, int weight, Counts stable, Counts canary, List<Judgement> judgements,
                           String decision) {
        public Interval {
            judgements = List.copyOf(judgements);
        }
    }

    static RolloutState start(String plan, Instant now) {
        return new RolloutState(plan, Phase.RUNNING, 0, now, 0, List.of(), "", now);
    }

    RolloutState with(Phase p, int s, Instant stepStart, int f, String why, Instant now) {
        return new RolloutState(plan, p, s, stepStart, f, intervals, why, now);
    }

    RolloutState plus(Interval i, Instant now) {
        List<Interval> all = new ArrayList<>(intervals);
        all.add(i);
        return new RolloutState(plan, phase, step, stepStartedAt, failures, all, reason, now);
    }
}
