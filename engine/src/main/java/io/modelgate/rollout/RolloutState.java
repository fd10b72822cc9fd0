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
 * @param updatedAt     when this was written: while it runs, its runner's heartbeat (at least every interval)
 * @param runId         this run of the plan: an abort request names it, so one meant for an earlier run is ignored
 * @param owner         who runs it ({@link Runner#describe()}), or empty when no runner holds it
 * @param interval      how often its runner writes (the plan's analysis interval): the heartbeat's period
 * @param revision      how many times it was saved: a save names the revision it replaces (compare-and-swap)
 * @param looks         the cumulative counts the judges have seen (analyses and step starts), oldest first:
 *                      the sequential evidence, which a resumed rollout goes on with instead of starting afresh
 */
public record RolloutState(String plan, Phase phase, int step, Instant stepStartedAt, int failures,
                           List<Interval> intervals, String reason, Instant updatedAt, String runId, String owner,
                           java.time.Duration interval, long revision, List<Observations.Look> looks) {
    /** Heartbeats a runner may miss before its rollout is stalled. */
    public static final int MISSED_HEARTBEATS = 3;

    public RolloutState {
        intervals = List.copyOf(intervals);
        looks = looks == null ? List.of() : List.copyOf(looks);
        // states written before runs had ids and owners read as unowned
        runId = runId == null ? "" : runId;
        owner = owner == null ? "" : owner;
        interval = interval == null ? java.time.Duration.ZERO : interval;
    }

    /**
     * A running rollout whose runner has written nothing for {@value #MISSED_HEARTBEATS} intervals (it
     * was killed, or its machine is gone): traffic stays where it was until someone resumes or aborts it.
     */
    public boolean stalled(Instant now) {
        return phase == Phase.RUNNING && !interval.isZero()
                && updatedAt.plus(interval.multipliedBy(MISSED_HEARTBEATS)).isBefore(now);
    }

    /** What {@code canary status} calls it: running, stalled, paused, promoted or rolled back. */
    public String condition(Instant now) {
        return stalled(now) ? "stalled" : phase.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
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
        return new RolloutState(plan, Phase.RUNNING, 0, now, 0, List.of(), "", now, java.util.UUID.randomUUID().toString(),
                "", java.time.Duration.ZERO, 0, List.of());
    }

    RolloutState with(Phase p, int s, Instant stepStart, int f, String why, Instant now) {
        return new RolloutState(plan, p, s, stepStart, f, intervals, why, now, runId, owner, interval, revision, looks);
    }

    RolloutState plus(Interval i, Instant now) {
        List<Interval> all = new ArrayList<>(intervals);
        all.add(i);
        return new RolloutState(plan, phase, step, stepStartedAt, failures, all, reason, now, runId, owner, interval, revision, looks);
    }

    /** Held by {@code runner}, which writes at least every {@code every}; a run without an id gets one. */
    RolloutState ownedBy(String runner, java.time.Duration every, Instant now) {
        return new RolloutState(plan, phase, step, stepStartedAt, failures, intervals, reason, now,
                runId.isEmpty() ? java.util.UUID.randomUUID().toString() : runId, runner, every, revision, looks);
    }

    /** With the judges' evidence so far. */
    RolloutState withLooks(List<Observations.Look> all) {
        return new RolloutState(plan, phase, step, stepStartedAt, failures, intervals, reason, updatedAt, runId, owner,
                interval, revision, all);
    }

    /** The state as it is saved after {@code previous}: the next revision. */
    RolloutState after(long previous) {
        return new RolloutState(plan, phase, step, stepStartedAt, failures, intervals, reason, updatedAt, runId, owner,
                interval, previous + 1, looks);
    }
}
