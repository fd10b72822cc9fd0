package io.modelgate.rollout;

import java.time.Duration;
import java.util.List;

/**
 * A canary rollout: where traffic goes, in which steps, how each step is judged, and what happens
 * at the end. Read from a YAML plan by {@link PlanReader}; docs/canary.md documents the format.
 *
 * @param source       the plan file, for messages
 * @param stableUrl    the stable version's base URL
 * @param canaryUrl    the canary's base URL
 * @param router       how traffic is split
 * @param metrics      where observations come from
 * @param steps        traffic steps, in order; the last one normally reaches 100
 * @param analysis     how and how often each step is judged
 * @param model        the registry model the canary is a version of, or empty
 * @param version      the canary's version in the registry, or empty
 * @param promoteTo    the stage or alias the canary gets when it succeeds, or empty
 * @param traffic      what the canary's share of the traffic means: served, mirrored or assigned per client
 */
public record RolloutPlan(String source, String stableUrl, String canaryUrl, RouterSpec router, MetricsSpec metrics,
                          List<Step> steps, Analysis analysis, String model, String version, String promoteTo,
                          Traffic traffic) {
    public RolloutPlan {
        steps = List.copyOf(steps);
    }

    /** How the canary meets traffic ({@code traffic.mode}). */
    public enum Mode {
        /** The canary answers its share of the requests. */
        CANARY,
        /**
         * Its share of the requests is also sent to the canary, whose answers are discarded: clients only
         * ever see the stable version's. Judged on errors, latency and the distribution of its predictions.
         */
        SHADOW,
        /**
         * Its share of the clients (by a header or a cookie) is assigned to the canary, every request of one
         * client to the same side while the share stays or grows. Judged on a business metric.
         */
        AB
    }

    /**
     * @param mode       canary, shadow or A/B
     * @param header     A/B: the request header naming the client, or empty
     * @param cookie     A/B: the cookie naming the client, or empty (one of the two is set)
     * @param score      shadow: a JSON pointer (RFC 6901) to the prediction in a response body, e.g.
     *                   {@code /score}; empty for no prediction comparison
     * @param maxPsi     shadow: the population stability index of the canary's predictions against the
     *                   stable version's above which, once a test shows the difference is not noise, the
     *                   canary fails
     */
    public record Traffic(Mode mode, String header, String cookie, String score, double maxPsi) {
        /** Evidently's PSI threshold. */
        public static final double DEFAULT_MAX_PSI = 0.1;
        public static final Traffic CANARY = new Traffic(Mode.CANARY, "", "", "", DEFAULT_MAX_PSI);

        /** The name of the client's key for messages: {@code header X-User} or {@code cookie uid}. */
        public String clientKey() {
            return header.isEmpty() ? "cookie " + cookie : "header " + header;
        }
    }

    /**
     * One step: send {@code weight}% of the traffic to the canary and watch it for {@code bake}.
     *
     * @param weight      percent of traffic to the canary, 0..100
     * @param bake        how long to stay at this weight
     * @param minRequests canary requests needed before the step's analyses count
     */
    public record Step(int weight, Duration bake, long minRequests) {
    }

    /**
     * @param interval     time between analyses
     * @param judge        {@code threshold}, {@code mann-whitney} or {@code sequential}
     * @param thresholds   for the threshold judge (and as a guard with the others)
     * @param failureLimit failed analyses tolerated before rolling back (0: the first failure rolls back)
     * @param inconclusive what to do when an analysis is inconclusive
     * @param confidence   for the statistical judges, e.g. 0.98 (Kayenta) or 0.95
     * @param sequential   the sequential judge's tuning
     * @param earlySuccessMinWeight the lowest step weight (percent) at which a sequential success promotes
     *                     the canary early; below it the steps go on, so a regression that shows only under
     *                     load is still met
     */
    // {@code threshold} above names a judge, not the thresholds component.
    @SuppressWarnings("InvalidParam")
    public record Analysis(Duration interval, String judge, List<ThresholdSpec> thresholds, int failureLimit,
                           OnInconclusive inconclusive, double confidence, SequentialSpec sequential,
                           int earlySuccessMinWeight) {
        /** The default lowest weight of an early success: half the traffic. */
        public static final int EARLY_SUCCESS_MIN_WEIGHT = 50;

        public Analysis {
            thresholds = List.copyOf(thresholds);
        }
    }

    /**
     * The sequential judge's tuning ({@code analysis.sequential}); docs/canary.md explains each field.
     *
     * @param test           {@code relative-risk} ({@link RelativeRiskJudge}, the default) or {@code msprt}
     *                       ({@link SequentialJudge}, the earlier normal-approximation test)
     * @param detectRatio    relative-risk: the ratio of error rates rolled back fastest
     * @param spread         relative-risk: standard deviation of the prior on the log ratio (0: one point)
     * @param toleratedRatio relative-risk: the ratio ruled out before an early success
     * @param tau            msprt: mixing scale, in error-rate units
     * @param margin         msprt: tolerated increase of the error rate for an early success
     */
    public record SequentialSpec(String test, double detectRatio, double spread, double toleratedRatio, double tau,
                                 double margin) {
        public static final String RELATIVE_RISK = "relative-risk";
        public static final String MSPRT = "msprt";
        public static final SequentialSpec DEFAULT = new SequentialSpec(RELATIVE_RISK,
                RelativeRiskJudge.DEFAULT_DETECT_RATIO, RelativeRiskJudge.DEFAULT_SPREAD,
                RelativeRiskJudge.DEFAULT_TOLERATED_RATIO, SequentialJudge.DEFAULT_TAU, SequentialJudge.DEFAULT_MARGIN);
    }

    /**
     * One threshold: {@code metric} (error_rate, latency_p50_ms, latency_p95_ms, latency_p99_ms, or a
     * named query) must be at most {@code max} / at least {@code min} absolutely, or at most
     * {@code maxIncrease} above the stable version's value (relative, 0.1 = 10%).
     */
    public record ThresholdSpec(String metric, double max, double min, double maxIncrease) {
    }

    /** What an inconclusive analysis does: wait for a person, roll back, or carry on. */
    public enum OnInconclusive { PAUSE, ROLLBACK, CONTINUE }

    /**
     * @param type     {@code embedded} or {@code haproxy}
     * @param port     embedded: the port to listen on (0: any free port)
     * @param socket   haproxy: the runtime API socket (a path, or host:port)
     * @param backend  haproxy: the backend holding both servers
     * @param stableServer haproxy: the stable server's name in the backend
     * @param canaryServer haproxy: the canary server's name
     * @param serverStateFile haproxy: the file its {@code server-state-file} names, rewritten after every
     *                     weight change so that a reload ({@code haproxy -sf}) keeps the weights; empty for none
     */
    public record RouterSpec(String type, int port, String socket, String backend, String stableServer,
                             String canaryServer, String serverStateFile) {
        /** Without a server-state file. */
        public RouterSpec(String type, int port, String socket, String backend, String stableServer, String canaryServer) {
            this(type, port, socket, backend, stableServer, canaryServer, "");
        }
    }

    /**
     * @param type    {@code embedded} (the router's own counters) or {@code prometheus}
     * @param url     prometheus: the server's base URL
     * @param queries prometheus: named PromQL queries with {@code {{target}}} standing for the target
     */
    public record MetricsSpec(String type, String url, java.util.Map<String, String> queries) {
        public MetricsSpec {
            queries = java.util.Map.copyOf(queries);
        }
    }
}
