package io.modelgate.bench;

import io.modelgate.rollout.Counts;
import io.modelgate.rollout.Judges;
import io.modelgate.rollout.MetricsProvider;
import io.modelgate.rollout.Observations;
import io.modelgate.rollout.Rollout;
import io.modelgate.rollout.RolloutClock;
import io.modelgate.rollout.RolloutOutcomes;
import io.modelgate.rollout.RolloutPlan;
import io.modelgate.rollout.RolloutState;
import io.modelgate.rollout.RolloutStore;
import io.modelgate.rollout.TrafficRouter;
import io.modelgate.rollout.Weights;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.IntToDoubleFunction;

/**
 * Whole canary rollouts of a plan, every step, bake, analysis, guard and judge as {@code canary run}
 * makes them ({@link Rollout} itself), on a simulated clock and simulated traffic: how often a plan
 * rolls back a canary that is as good as stable (A/A), and how often it catches one that is worse.
 * Seeded: the same seed gives the same figures.
 */
public final class PlanSimulation {
    /**
     * The traffic: requests per second through the router, the stable version's error rate, the
     * canary's as a function of its traffic share (percent; a regression that only shows under load
     * depends on it), and the latencies: {@code 20 + Exp(30)} ms, and for {@code slowShare} of the
     * requests of both versions {@code slowMs} more (a garbage collection, a cold cache).
     */
    public record Traffic(double ratePerSecond, double stableErrorRate, IntToDoubleFunction canaryErrorRate,
                          double slowShare, double slowMs) {
        /** Both versions alike: the A/A case. */
        public static Traffic aa(double ratePerSecond, double errorRate) {
            return new Traffic(ratePerSecond, errorRate, w -> errorRate, 0.004, 600);
        }
    }

    /** How the simulated rollouts ended: shares of the runs. */
    public record Ending(int runs, double rolledBack, double promoted, double paused) {
    }

    private PlanSimulation() {
    }

    /** The plan of two lines: every default (steps, bakes, interval, guards, sequential judge, early success). */
    public static final String DEFAULT_PLAN = "stable: http://127.0.0.1:1\ncanary: http://127.0.0.1:2\n";
    /** A/A cells: both versions' error rate, and the traffic through the router (requests a second). */
    static final double[] AA_ERROR_RATES = {0.002, 0.005, 0.008, 0.01};
    static final double[] TRAFFIC = {20, 50, 200};
    /** A regression that shows only under load: stable 1%, the canary this many times that from 50% of the traffic. */
    static final double[] LOAD_FACTORS = {2, 3, 5};
    /** The promise of the default plan: A/A false rollbacks at most this in every cell. */
    public static final double TARGET_AA = 0.05;
    /** ... and this catch rate of a x3 regression from 50% load at 200 requests a second. */
    public static final double TARGET_CATCH = 0.95;

    /** One cell of the table. */
    public record Row(double ratePerSecond, double stableErrorRate, double factor, Ending ending) {
    }

    /** The default plan as a whole: A/A false rollbacks, and how often a load-dependent regression is caught. */
    public record Table(int runs, long seed, List<Row> aa, List<Row> load, double seconds) {
        public Table {
            aa = List.copyOf(aa);
            load = List.copyOf(load);
        }

        public double worstAa() {
            return aa.stream().mapToDouble(r -> r.ending().rolledBack()).max().orElse(Double.NaN);
        }

        /** The catch rate of the promised case: x3 from 50% load at 200 requests a second. */
        public double promisedCatch() {
            return load.stream().filter(r -> r.ratePerSecond() == 200 && r.factor() == 3)
                    .mapToDouble(r -> r.ending().rolledBack()).findFirst().orElse(Double.NaN);
        }

        /** Rows as {@code label} names them (in their order), a column per traffic, each cell the share rolled back. */
        private static void grid(StringBuilder b, String corner, List<Row> rows, java.util.function.Function<Row, String> label) {
            b.append(String.format(java.util.Locale.ROOT, "  %-12s", corner));
            for (double t : TRAFFIC) {
                b.append(String.format(java.util.Locale.ROOT, " %9.0f req/s", t));
            }
            Map<String, List<Row>> byLabel = new java.util.LinkedHashMap<>();
            rows.forEach(r -> byLabel.computeIfAbsent(label.apply(r), k -> new java.util.ArrayList<>()).add(r));
            byLabel.forEach((name, cells) -> {
                b.append(String.format(java.util.Locale.ROOT, "%n  %-12s", name));
                for (double t : TRAFFIC) {
                    cells.stream().filter(r -> r.ratePerSecond() == t).findFirst().ifPresent(r ->
                            b.append(String.format(java.util.Locale.ROOT, " %14.1f%%", r.ending().rolledBack() * 100)));
                }
            });
            b.append('\n');
        }

        public String describe() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(java.util.Locale.ROOT, "The default plan as a whole (steps 10/25/50/100%%, 1 min bakes, "
                    + "analyses every 10 s, guards error rate <= 1%% and p99 <= 500 ms, sequential judge, early success "
                    + "from 50%%), %,d simulated rollouts a cell, seed %d; latencies 20 + Exp(30) ms, 0.4%% of requests "
                    + "600 ms slower:%n", runs, seed));
            b.append("  A/A false rollbacks (both versions alike)\n");
            grid(b, "error rate", aa, r -> String.format(java.util.Locale.ROOT, "%.1f%%", r.stableErrorRate() * 100));
            b.append(String.format(java.util.Locale.ROOT, "  worst cell %.1f%% (target <= %.0f%%: %s)%n", worstAa() * 100,
                    TARGET_AA * 100, worstAa() <= TARGET_AA ? "met" : "MISSED"));
            b.append("  A regression only under load (stable 1%, canary xK from 50% of the traffic): rolled back\n");
            grid(b, "canary", load, r -> String.format(java.util.Locale.ROOT, "x%.0f", r.factor()));
            b.append(String.format(java.util.Locale.ROOT, "  x3 at 200 req/s caught %.1f%% (target >= %.0f%%: %s); %.1f s%n",
                    promisedCatch() * 100, TARGET_CATCH * 100, promisedCatch() >= TARGET_CATCH ? "met" : "MISSED", seconds));
            return b.toString();
        }
    }

    /** The table for the default plan. */
    public static Table defaultPlan(int runs, long seed, java.util.function.Consumer<String> progress) {
        long started = System.nanoTime();
        RolloutPlan plan = io.modelgate.rollout.PlanReader.parse("default plan", DEFAULT_PLAN);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<Row> aa = new java.util.ArrayList<>();
        for (double p : AA_ERROR_RATES) {
            for (double t : TRAFFIC) {
                progress.accept(String.format(java.util.Locale.ROOT, "default plan, A/A: %.1f%% errors, %.0f req/s, %,d rollouts",
                        p * 100, t, runs));
                aa.add(new Row(t, p, 1, run(plan, Traffic.aa(t, p), runs, seeds.nextLong())));
            }
        }
        List<Row> load = new java.util.ArrayList<>();
        for (double k : LOAD_FACTORS) {
            for (double t : TRAFFIC) {
                progress.accept(String.format(java.util.Locale.ROOT, "default plan, x%.0f from 50%% load: %.0f req/s, %,d rollouts",
                        k, t, runs));
                Traffic traffic = new Traffic(t, 0.01, w -> w >= 50 ? 0.01 * k : 0.01, 0.004, 600);
                load.add(new Row(t, 0.01, k, run(plan, traffic, runs, seeds.nextLong())));
            }
        }
        return new Table(runs, seed, aa, load, (System.nanoTime() - started) / 1e9);
    }

    public static Ending run(RolloutPlan plan, Traffic traffic, int runs, long seed) {
        int rolledBack = 0;
        int promoted = 0;
        int paused = 0;
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int r = 0; r < runs; r++) {
            Clock clock = new Clock();
            Simulated sim = new Simulated(traffic, clock, seeds.split());
            RolloutState end = new Rollout(plan, sim, sim, Judges.forPlan(plan), new MemoryStore(),
                    RolloutOutcomes.NONE, line -> { }, clock).run();
            switch (end.phase()) {
                case ROLLED_BACK -> rolledBack++;
                case PROMOTED -> promoted++;
                default -> paused++;
            }
        }
        return new Ending(runs, (double) rolledBack / runs, (double) promoted / runs, (double) paused / runs);
    }

    /** A clock that jumps. */
    private static final class Clock implements RolloutClock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant now() {
            return now;
        }

        @Override
        public void sleep(Duration d) {
            now = now.plus(d);
        }
    }

    /** The router and its counters: requests arrive between two looks at the traffic's rate. */
    private static final class Simulated implements TrafficRouter, MetricsProvider {
        private static final int MAX_SAMPLES = 10_000;
        private final Traffic traffic;
        private final Clock clock;
        private final SplittableRandom random;
        private Weights weights = Weights.ALL_STABLE;
        private Instant last;
        private Counts stable = Counts.ZERO;
        private Counts canary = Counts.ZERO;

        Simulated(Traffic traffic, Clock clock, SplittableRandom random) {
            this.traffic = traffic;
            this.clock = clock;
            this.random = random;
            this.last = clock.now();
        }

        @Override
        public void setWeights(int stablePercent, int canaryPercent) {
            serveUntilNow(); // what was served so far was served at the old weights
            weights = new Weights(stablePercent, canaryPercent);
        }

        @Override
        public Weights weights() {
            return weights;
        }

        @Override
        public String describe() {
            return "simulated router";
        }

        @Override
        public void close() {
        }

        private double[] stableLatency = new double[0];
        private double[] canaryLatency = new double[0];

        /** Serves the requests that arrived since the last call, at the current weights. */
        private void serveUntilNow() {
            double seconds = Duration.between(last, clock.now()).toNanos() / 1e9;
            last = clock.now();
            int n = poisson(traffic.ratePerSecond() * seconds);
            int nc = 0;
            for (int i = 0; i < n; i++) {
                nc += random.nextInt(100) < weights.canary() ? 1 : 0;
            }
            int ns = n - nc;
            double pc = traffic.canaryErrorRate().applyAsDouble(weights.canary());
            stable = stable.plus(new Counts(ns, bernoullis(ns, traffic.stableErrorRate())));
            canary = canary.plus(new Counts(nc, bernoullis(nc, pc)));
            stableLatency = concat(stableLatency, latencies(ns));
            canaryLatency = concat(canaryLatency, latencies(nc));
        }

        @Override
        public Observations observe() {
            serveUntilNow();
            Observations o = new Observations(stable, canary, stableLatency, canaryLatency, Map.of());
            stableLatency = new double[0];
            canaryLatency = new double[0];
            return o;
        }

        @Override
        public void reset() {
            serveUntilNow();
            stable = Counts.ZERO;
            canary = Counts.ZERO;
            stableLatency = new double[0];
            canaryLatency = new double[0];
        }

        private long bernoullis(int n, double p) {
            long k = 0;
            for (int i = 0; i < n; i++) {
                k += random.nextDouble() < p ? 1 : 0;
            }
            return k;
        }

        private double[] latencies(int n) {
            double[] l = new double[Math.min(n, MAX_SAMPLES)];
            for (int i = 0; i < l.length; i++) {
                l[i] = 20 - 30 * Math.log(1 - random.nextDouble())
                        + (random.nextDouble() < traffic.slowShare() ? traffic.slowMs() : 0);
            }
            return l;
        }

        private static double[] concat(double[] a, double[] b) {
            double[] c = java.util.Arrays.copyOf(a, Math.min(MAX_SAMPLES, a.length + b.length));
            System.arraycopy(b, 0, c, a.length, c.length - a.length);
            return c;
        }

        /** Poisson by counting exponential gaps (means here are at most a few thousand). */
        private int poisson(double mean) {
            int k = 0;
            double t = -Math.log(1 - random.nextDouble());
            while (t < mean) {
                k++;
                t += -Math.log(1 - random.nextDouble());
            }
            return k;
        }
    }

    /** A rollout's state in memory: nothing else reads it. */
    private static final class MemoryStore implements RolloutStore {
        private RolloutState state;
        private Request request;

        @Override
        public Optional<RolloutState> load() {
            return Optional.ofNullable(state);
        }

        @Override
        public void save(RolloutState s) {
            state = s;
        }

        @Override
        public boolean compareAndSave(long expected, RolloutState next) {
            if ((state == null ? -1 : state.revision()) != expected) {
                return false;
            }
            state = next;
            return true;
        }

        @Override
        public void request(Request r) {
            request = r;
        }

        @Override
        public Optional<Request> pending() {
            return Optional.ofNullable(request);
        }

        @Override
        public void clearRequest() {
            request = null;
        }

        @Override
        public String describe() {
            return "memory";
        }
    }
}
