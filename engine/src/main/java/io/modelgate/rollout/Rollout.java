package io.modelgate.rollout;

import io.modelgate.common.Numbers;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs a canary: sets each step's weight, judges the canary every interval, and promotes it or
 * rolls it back. The state is saved after every step and decision, so a run started again after
 * a crash goes on from where it was, and {@code canary abort} from another process is honoured
 * within one interval.
 */
public final class Rollout {
    private static final Duration POLL = Duration.ofMillis(100);

    private final RolloutPlan plan;
    private final TrafficRouter router;
    private final MetricsProvider metrics;
    private final List<Judge> judges;
    private final RolloutStore stateFile;
    private final RolloutOutcomes outcomes;
    private final Consumer<String> progress;
    private final Runner runner = Runner.current();
    private final RolloutClock clock;
    /** The revision of the state this runner saved last, {@code -1} before the first. */
    private long revision = -1;

    public Rollout(RolloutPlan plan, TrafficRouter router, MetricsProvider metrics, List<Judge> judges, RolloutStore stateFile,
                   RolloutOutcomes outcomes, Consumer<String> progress) {
        this(plan, router, metrics, judges, stateFile, outcomes, progress, RolloutClock.SYSTEM);
    }

    /** On {@code clock}: the wall clock, or a simulation's. */
    public Rollout(RolloutPlan plan, TrafficRouter router, MetricsProvider metrics, List<Judge> judges, RolloutStore stateFile,
                   RolloutOutcomes outcomes, Consumer<String> progress, RolloutClock clock) {
        this.clock = clock;
        this.plan = plan;
        this.router = router;
        this.metrics = metrics;
        this.judges = List.copyOf(judges);
        this.stateFile = stateFile;
        this.outcomes = outcomes;
        this.progress = progress;
    }

    /** A rollout to act on from outside its runner ({@link #abortHere}): no metrics, no judges. */
    public static Rollout fromOutside(RolloutPlan plan, TrafficRouter router, RolloutStore store, RolloutOutcomes outcomes) {
        return new Rollout(plan, router, null, List.of(), store, outcomes, line -> { });
    }

    /** Runs (or resumes) until promoted, rolled back or paused; returns the final state. */
    public RolloutState run() {
        Optional<RolloutState> stored = stateFile.load();
        RolloutState s = stored.orElseGet(() -> RolloutState.start(plan.source(), clock.now()));
        if (s.phase().done()) {
            progress.accept("rollout already " + s.phase().name().toLowerCase(Locale.ROOT) + ": " + s.reason());
            return s;
        }
        return runFrom(stored, s);
    }

    /**
     * Runs a rolled-back rollout again from its first step, as a new run (a new run id, its own evidence;
     * Argo's {@code retry}); with a registry the earlier run's record stays in its history. A canary the
     * rollback rejected in the registry is refused by the registry's check unless that rejection is
     * overridden.
     */
    public RolloutState retry() {
        Optional<RolloutState> stored = stateFile.load();
        RolloutState before = stored.orElseThrow(() -> new RolloutException("no rollout at " + stateFile.describe()
                + ": nothing to retry; 'canary run' starts one"));
        if (before.phase() != RolloutState.Phase.ROLLED_BACK) {
            throw new RolloutException("rollout " + stateFile.describe() + " is " + before.condition(clock.now())
                    + ": only a rolled-back rollout is retried ('canary resume' goes on with a paused or stalled one)");
        }
        progress.accept("retrying a rolled-back rollout from step 1 (it was: " + before.reason() + ")");
        return runFrom(stored, RolloutState.start(plan.source(), clock.now()));
    }

    private RolloutState runFrom(Optional<RolloutState> stored, RolloutState start) {
        RolloutState s = claim(stored, start);
        // a rollout that had begun a step goes on with it: its bake time and its evidence count on
        boolean midStep = stored.isPresent() && !s.looks().isEmpty() && s.runId().equals(stored.get().runId());
        if (s.phase() == RolloutState.Phase.PAUSED) {
            progress.accept("resuming a paused rollout at step " + (s.step() + 1) + " (" + s.reason() + ")");
            s = s.with(RolloutState.Phase.RUNNING, s.step(), s.stepStartedAt(), s.failures(), "", clock.now());
        }
        try {
            metrics.reset();
            // Cumulative counts at every look, for judges that need the increments (each has its own
            // weights). The source counts from zero after the reset, so a resumed rollout's counts go on
            // from its last look: the sequential test continues with the evidence it had, it does not
            // start again with a fresh alpha.
            List<Observations.Look> looks = new ArrayList<>(s.looks());
            Observations.Look base = looks.isEmpty() ? new Observations.Look(Counts.ZERO, Counts.ZERO)
                    : looks.get(looks.size() - 1);
            if (midStep) {
                progress.accept(String.format(Locale.ROOT, "going on with step %d and its evidence: %,d stable and %,d "
                        + "canary requests so far", s.step() + 1, base.stable().requests(), base.canary().requests()));
            }
            while (s.step() < plan.steps().size()) {
                RolloutPlan.Step step = plan.steps().get(s.step());
                router.setWeights(100 - step.weight(), step.weight());
                Instant stepStart = midStep ? s.stepStartedAt() : clock.now();
                s = s.with(RolloutState.Phase.RUNNING, s.step(), stepStart, s.failures(), "", clock.now());
                save(s);
                progress.accept(String.format(Locale.ROOT, "step %d/%d: %d%% of traffic to the canary for %s",
                        s.step() + 1, plan.steps().size(), step.weight(), human(step.bake())));
                s = bake(s, step, looks, base, stepStart);
                midStep = false;
                if (s.phase() != RolloutState.Phase.RUNNING) {
                    return s;
                }
                s = s.with(RolloutState.Phase.RUNNING, s.step() + 1, clock.now(), s.failures(), "", clock.now());
                save(s);
            }
            return promote(s, "every step passed");
        } catch (OwnedElsewhere e) {
            throw e; // the rollout is another runner's now: its traffic and its state are not this one's to touch
        } catch (RolloutException e) {
            if (e.kind() == RolloutException.Kind.EXTERNAL) {
                String back;
                try {
                    router.setWeights(100, 0);
                    back = "all traffic is back on stable";
                } catch (RolloutException again) {
                    back = "the router does not answer either, so traffic could not be moved back";
                }
                // The reason is kept in the state (a file, a registry commit): no URL credentials in it.
                save(s.with(RolloutState.Phase.PAUSED, s.step(), s.stepStartedAt(), s.failures(),
                        io.modelgate.common.Redactor.redactUrls(e.getMessage()) + "; " + back, clock.now()));
                throw new RolloutException(RolloutException.Kind.EXTERNAL, e.getMessage() + "; " + back
                        + "; the registry is unchanged; 'canary resume' continues", e);
            }
            throw e;
        }
    }

    /** Thrown when another runner holds the rollout; exit 3, nothing touched. */
    public static final class OwnedElsewhere extends RolloutException {
        private static final long serialVersionUID = 1L;

        OwnedElsewhere(String message) {
            super(RolloutException.Kind.EXTERNAL, message, null);
        }
    }

    /**
     * Takes the rollout for this runner: refused while another runner's heartbeat is fresh (it
     * wrote within {@value RolloutState#MISSED_HEARTBEATS} intervals and, on this machine, its process
     * lives), and by compare-and-swap, so of two runners started together exactly one gets it.
     */
    private RolloutState claim(Optional<RolloutState> stored, RolloutState s) {
        Instant now = clock.now();
        if (stored.isPresent() && heldByAnother(stored.get(), now)) {
            throw busy(stored.get(), now);
        }
        revision = stored.map(RolloutState::revision).orElse(-1L);
        RolloutState mine = s.ownedBy(runner.describe(), plan.analysis().interval(), now).after(revision);
        if (!stateFile.compareAndSave(revision, mine)) {
            RolloutState other = stateFile.load().orElse(s);
            throw busy(other, clock.now());
        }
        revision = mine.revision();
        // a request for an earlier run (or one that never ran) must not roll this one back
        stateFile.pending().filter(a -> !a.runId().equals(mine.runId())).ifPresent(a -> stateFile.clearRequest());
        return mine;
    }

    /**
     * Rolls back a rollout that no runner holds (paused, or stalled: its runner was killed) from here:
     * traffic to stable through this router, the canary rejected in the registry, the state final.
     * A rollout whose runner is alive is refused ({@link OwnedElsewhere}): ask that runner instead.
     */
    public RolloutState abortHere(String reason) {
        return rollBack(takeOver("abort"), "aborted: " + RolloutStore.abortReason(reason));
    }

    /**
     * Promotes a rollout that no runner holds from here, skipping its remaining steps and analyses:
     * all traffic to the canary, the promotion recorded in the registry, the state final.
     */
    public RolloutState promoteHere(String reason) {
        return promote(takeOver("promote"), "promoted by hand: " + RolloutStore.abortReason(reason));
    }

    /** Claims an unfinished rollout that no live runner holds, to {@code verb} it from here. */
    private RolloutState takeOver(String verb) {
        Optional<RolloutState> stored = stateFile.load();
        RolloutState s = stored.orElseThrow(() -> new RolloutException("no rollout at " + stateFile.describe()
                + ": nothing to " + verb));
        if (s.phase().done()) {
            throw new RolloutException("rollout " + stateFile.describe() + " is already "
                    + s.condition(clock.now()) + ": nothing to " + verb);
        }
        return claim(stored, s);
    }

    private boolean heldByAnother(RolloutState s, Instant now) {
        return s.phase() == RolloutState.Phase.RUNNING && !s.owner().isEmpty() && !s.owner().equals(runner.describe())
                && !s.stalled(now) && !runner.sawDie(s.owner());
    }

    private OwnedElsewhere busy(RolloutState s, Instant now) {
        return new OwnedElsewhere("rollout " + stateFile.describe() + " is run by " + (s.owner().isEmpty() ? "another runner"
                : s.owner()) + " (last heartbeat " + Math.max(0, Duration.between(s.updatedAt(), now).toSeconds())
                + " s ago); one runner at a time moves its traffic: wait for it, 'canary status', or 'canary abort'");
    }

    /** Saves {@code next} over the revision this runner saved last; another writer in between means it lost the rollout. */
    private RolloutState save(RolloutState next) {
        RolloutState s = next.after(revision);
        if (!stateFile.compareAndSave(revision, s)) {
            RolloutState other = stateFile.load().orElse(next);
            throw new OwnedElsewhere("rollout " + stateFile.describe() + " was taken over by " + (other.owner().isEmpty()
                    ? "another writer" : other.owner()) + " while this runner had it; this one stops and leaves the "
                    + "traffic to it");
        }
        revision = s.revision();
        return s;
    }

    private RolloutState bake(RolloutState s, RolloutPlan.Step step, List<Observations.Look> looks, Observations.Look base,
                              Instant stepStart) {
        // Requests served before this step do not count towards its minimum. The look also ends the
        // previous weight's increment, so no increment mixes two weights.
        Observations atStart = metrics.observe().countedOnFrom(base);
        int stepStartLook = looks.size();
        looks.add(new Observations.Look(atStart.stable(), atStart.canary()));
        long canaryAtStart = atStart.canary().requests();
        Duration limit = step.bake().multipliedBy(3).plus(plan.analysis().interval().multipliedBy(3));
        while (true) {
            Duration waited = Duration.between(stepStart, clock.now());
            if (waited.compareTo(step.bake()) >= 0 && step.bake().isZero()) {
                return s;
            }
            RolloutState aborted = sleep(s, plan.analysis().interval());
            if (aborted != null) {
                return aborted;
            }
            Observations o = metrics.observe().countedOnFrom(base).withEarlier(looks, stepStartLook);
            looks.add(new Observations.Look(o.stable(), o.canary()));
            long canaryInStep = o.canary().requests() - canaryAtStart;
            List<Judgement> calls = new ArrayList<>();
            for (Judge j : judges) {
                calls.add(j.judge(o));
            }
            boolean enoughData = canaryInStep >= step.minRequests();
            boolean failed = calls.stream().anyMatch(c -> c.outcome() == JudgeOutcome.FAIL);
            boolean inconclusive = calls.stream().anyMatch(c -> c.outcome() == JudgeOutcome.INCONCLUSIVE);
            boolean success = !calls.isEmpty() && calls.stream().allMatch(c -> c.outcome() == JudgeOutcome.SUCCESS
                    || c.outcome() == JudgeOutcome.PASS) && calls.stream().anyMatch(c -> c.outcome() == JudgeOutcome.SUCCESS);
            waited = Duration.between(stepStart, clock.now());
            String decision;
            int failures = s.failures();
            if (failed) {
                failures++;
                decision = failures > plan.analysis().failureLimit() ? "roll back" : "failure " + failures + " of "
                        + (plan.analysis().failureLimit() + 1) + " tolerated";
            } else if (inconclusive && enoughData) {
                decision = switch (plan.analysis().inconclusive()) {
                    case PAUSE -> "pause";
                    case ROLLBACK -> "roll back";
                    case CONTINUE -> "continue";
                };
            } else if (inconclusive && waited.compareTo(limit) > 0) {
                decision = plan.analysis().inconclusive() == RolloutPlan.OnInconclusive.CONTINUE ? "continue"
                        : plan.analysis().inconclusive() == RolloutPlan.OnInconclusive.ROLLBACK ? "roll back" : "pause";
            } else if (success && enoughData && step.weight() >= plan.analysis().earlySuccessMinWeight()) {
                decision = "promote early";
            } else if (waited.compareTo(step.bake()) >= 0 && enoughData) {
                decision = "next step";
            } else {
                decision = "continue";
            }
            s = s.plus(new RolloutState.Interval(clock.now(), s.step(), step.weight(), o.stable(), o.canary(), calls,
                    decision), clock.now()).withLooks(looks).with(RolloutState.Phase.RUNNING, s.step(), s.stepStartedAt(), failures,
                    "", clock.now());
            save(s);
            progress.accept(line(step, o, calls, decision));
            switch (decision) {
                case "roll back" -> {
                    return rollBack(s, failed ? reason(calls, JudgeOutcome.FAIL) : inconclusive(calls, o));
                }
                case "pause" -> {
                    RolloutState paused = s.with(RolloutState.Phase.PAUSED, s.step(), s.stepStartedAt(), failures,
                            "inconclusive: " + inconclusive(calls, o) + "; decide, then 'canary resume' or "
                                    + "'canary abort'", clock.now());
                    save(paused);
                    return paused;
                }
                case "promote early" -> {
                    return promote(s, "the sequential test showed the canary is not worse: "
                            + reason(calls, JudgeOutcome.SUCCESS));
                }
                case "next step" -> {
                    return s;
                }
                default -> {
                }
            }
        }
    }

    /** Sleeps one interval in short slices, rolling back at once when an abort is requested. */
    private RolloutState sleep(RolloutState s, Duration interval) {
        Instant until = clock.now().plus(interval);
        while (clock.now().isBefore(until)) {
            var request = stateFile.pending();
            if (request.isPresent()) {
                stateFile.clearRequest();
                RolloutStore.Request r = request.get();
                if (r.runId().equals(s.runId())) {
                    return r.action() == RolloutStore.Action.PROMOTE ? promote(s, "promoted by hand: " + r.reason())
                            : rollBack(s, "aborted: " + r.reason());
                }
                progress.accept("ignored " + (r.action() == RolloutStore.Action.PROMOTE ? "a promote" : "an abort")
                        + " request for another run of this plan (" + r.reason() + ")");
            }
            try {
                clock.sleep(Duration.ofMillis(Math.min(POLL.toMillis(), Math.max(1, Duration.between(clock.now(), until).toMillis()))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return rollBack(s, "interrupted");
            }
        }
        return null;
    }

    private RolloutState rollBack(RolloutState s, String reason) {
        router.setWeights(100, 0);
        String registry = outcomes.rolledBack(plan, reason);
        RolloutState done = s.with(RolloutState.Phase.ROLLED_BACK, s.step(), s.stepStartedAt(), s.failures(),
                reason + " (registry: " + registry + ")", clock.now());
        save(done);
        progress.accept("rolled back: all traffic on stable; " + reason + "; registry: " + registry);
        return done;
    }

    private RolloutState promote(RolloutState s, String reason) {
        router.setWeights(0, 100);
        String registry = outcomes.promoted(plan, reason);
        RolloutState done = s.with(RolloutState.Phase.PROMOTED, plan.steps().size(), s.stepStartedAt(), s.failures(),
                reason + " (registry: " + registry + ")", clock.now());
        save(done);
        progress.accept("promoted: all traffic on the canary; " + reason + "; registry: " + registry);
        return done;
    }

    /** Why an analysis was inconclusive: the judge's reason, and what the source could not measure. */
    private static String inconclusive(List<Judgement> calls, Observations o) {
        String why = reason(calls, JudgeOutcome.INCONCLUSIVE);
        return o.notes().isEmpty() ? why : why + " (" + String.join("; ", o.notes()) + ")";
    }

    private static String reason(List<Judgement> calls, JudgeOutcome outcome) {
        return calls.stream().filter(c -> c.outcome() == outcome).map(Judgement::reason).findFirst().orElse(outcome.name());
    }

    private static String line(RolloutPlan.Step step, Observations o, List<Judgement> calls, String decision) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "  %3d%% | stable %,d req %s err p99 %s | canary %,d req %s err p99 %s",
                step.weight(), o.stable().requests(), percent(o.stable().errorRate()), ms(p99(o, true)),
                o.canary().requests(), percent(o.canary().errorRate()), ms(p99(o, false))));
        for (Judgement c : calls) {
            b.append(" | ").append(c.judge()).append(' ').append(c.statistic()).append('=').append(Numbers.format(c.value()))
                    .append(' ').append(c.outcome());
        }
        return b.append(" -> ").append(decision).toString();
    }

    /** From the samples, or the source's own p99 (Prometheus, HAProxy have no samples). */
    private static double p99(Observations o, boolean stable) {
        double[] samples = stable ? o.stableLatencyMs() : o.canaryLatencyMs();
        Observations.Pair own = o.metrics().get("latency-p99");
        return samples.length == 0 && own != null ? (stable ? own.stable() : own.canary()) : p99(samples);
    }

    static double p99(double[] latencies) {
        if (latencies.length == 0) {
            return Double.NaN;
        }
        double[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
    }

    private static String percent(double rate) {
        return Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.2f%%", rate * 100);
    }

    private static String ms(double v) {
        return Double.isNaN(v) ? "-" : Numbers.format(Math.round(v * 10) / 10.0) + "ms";
    }

    private static String human(Duration d) {
        return d.isZero() ? "no bake" : d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }
}
