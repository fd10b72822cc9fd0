package io.modelgate.rollout;

import io.modelgate.common.ModelgateException.Kind;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Splits traffic with an existing HAProxy, and reads what each server did from it, through
 * HAProxy's runtime API (the {@code stats socket}, which must be at {@code level admin}).
 *
 * <p>The stable version and the canary are two servers of one backend (normally
 * {@code balance roundrobin}). {@link #setWeights} sets the servers' weights to the percentages
 * ({@code set weight <backend>/<server> <0-100>}; weight 0 gets no new requests), raising one before
 * lowering the other in a single connection so the backend never has only zero weights.
 * {@link #weights()} reads them back with {@code get weight} (other weights, set by hand, are
 * converted to percentages).
 *
 * <p>Metrics come from {@code show stat <backend> 4 -1}, columns picked by name (see
 * {@link HaproxyStats}): per server, requests = {@code req_tot + econ + eresp} and errors =
 * {@code hrsp_5xx + econ + eresp}, counted from a baseline taken at {@link #reset()} (HAProxy's own
 * counters are left alone). Named metrics: {@code error_rate}, {@code latency_avg_ms}
 * ({@code rtime}, the server's average response time over its last 1024 requests) and
 * {@code total_time_avg_ms} ({@code ttime}), NaN for a server without requests since the baseline.
 * HAProxy keeps no per-request latencies, so the latency sample arrays are empty: latency
 * percentiles and the Mann-Whitney judge are INCONCLUSIVE with this provider; per-request latency
 * comes from Prometheus histograms or the embedded router.
 *
 * <p>Every failure to reach the socket, and every answer HAProxy gives instead of doing the command
 * ({@code No such backend.}, {@code No such server.}, {@code Permission denied.}), is a
 * {@link RolloutException} of kind EXTERNAL with one line naming the socket. One connection per
 * command, so {@link #close()} has nothing to release. Thread-safe.
 */
public final class HaproxyRouter implements TrafficRouter, MetricsProvider {
    /** Named metric: errors per request since the baseline; NaN without requests. */
    public static final String ERROR_RATE = "error_rate";
    /** Named metric: HAProxy's {@code rtime}, average server response time (ms) of the last 1024 requests. */
    public static final String LATENCY_AVG_MS = "latency_avg_ms";
    /** Named metric: HAProxy's {@code ttime}, average total session time (ms) of the last 1024 requests. */
    public static final String TOTAL_TIME_AVG_MS = "total_time_avg_ms";

    /** Characters HAProxy allows in proxy and server names; nothing that could split a command. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final HaproxyRuntimeApi api;
    private final String backend;
    private final String stableServer;
    private final String canaryServer;
    private final java.util.Optional<java.nio.file.Path> serverState;
    private final Object baselineLock = new Object();
    private Map<String, Counts> baseline = Map.of();

    /**
     * @throws RolloutException BAD_INPUT when the socket, backend or a server name is missing or malformed
     */
    public HaproxyRouter(RolloutPlan.RouterSpec spec) {
        this(spec, DEFAULT_TIMEOUT);
    }

    /** With {@code timeout} for each runtime API call (connect, send, answer). */
    public HaproxyRouter(RolloutPlan.RouterSpec spec, Duration timeout) {
        this.backend = name("router.backend", spec.backend());
        this.stableServer = name("router.stable_server", spec.stableServer());
        this.canaryServer = name("router.canary_server", spec.canaryServer());
        if (stableServer.equals(canaryServer)) {
            throw new RolloutException("router: stable_server and canary_server must differ, both are '" + stableServer + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new RolloutException("router: the HAProxy runtime API timeout must be positive");
        }
        this.api = new HaproxyRuntimeApi(spec.socket(), timeout);
        this.serverState = spec.serverStateFile().isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(java.nio.file.Path.of(spec.serverStateFile()));
    }

    private static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new RolloutException(field + ": expected an HAProxy name (1-128 of A-Z a-z 0-9 _ . : -), got '"
                    + (value == null ? "" : value) + "'");
        }
        return value;
    }

    @Override
    public void setWeights(int stablePercent, int canaryPercent) {
        Weights w = new Weights(stablePercent, canaryPercent);
        String command = weightCommand(w);
        check(api.execute(command), command);
        serverState.ifPresent(this::saveServerState);
    }

    /**
     * Writes what {@code show servers state} says to the file HAProxy's {@code server-state-file}
     * names, atomically (aside, then moved over): HAProxy's weights set through the runtime API live
     * in the process only, and a reload ({@code haproxy -sf}) reads them back from this file
     * ({@code load-server-state-from-file global}) instead of going back to the configuration's.
     */
    private void saveServerState(java.nio.file.Path file) {
        String state = api.execute("show servers state");
        if (!state.startsWith("1\n")) {
            throw new RolloutException(Kind.EXTERNAL, "HAProxy runtime API at " + api.socket() + " answered 'show servers "
                    + "state' with '" + io.modelgate.common.Sanitizer.freeText(state.strip()) + "'", null);
        }
        try {
            java.nio.file.Path dir = file.toAbsolutePath().getParent();
            java.nio.file.Files.createDirectories(dir);
            java.nio.file.Path tmp = java.nio.file.Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            java.nio.file.Files.writeString(tmp, state);
            java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new RolloutException(Kind.EXTERNAL, "router.server_state_file " + file + ": cannot write HAProxy's server "
                    + "state (the weights would not survive a reload): " + e.getMessage(), e);
        }
    }

    /** The command line that sets {@code w}: the rising weight first, so both are never 0 at once. */
    String weightCommand(Weights w) {
        String stable = "set weight " + backend + "/" + stableServer + " " + w.stable();
        String canary = "set weight " + backend + "/" + canaryServer + " " + w.canary();
        return w.canary() >= w.stable() ? canary + "; " + stable : stable + "; " + canary;
    }

    @Override
    public Weights weights() {
        return weightsOf(weight(stableServer), weight(canaryServer));
    }

    private int weight(String server) {
        String command = "get weight " + backend + "/" + server;
        String answer = api.execute(command).strip();
        return parseWeight(answer, command);
    }

    /** The current weight in an answer like {@code 50 (initial 0)}. */
    int parseWeight(String answer, String command) {
        String first = answer.strip().split("\\s+", 2)[0];
        try {
            return Integer.parseInt(first);
        } catch (NumberFormatException e) {
            throw rejected(command, answer);
        }
    }

    /** HAProxy weights (0..256 each) as percentages. */
    Weights weightsOf(int stable, int canary) {
        if (stable + canary == 100) {
            return new Weights(stable, canary);
        }
        if (stable + canary <= 0) {
            throw new RolloutException(Kind.EXTERNAL, "HAProxy backend " + backend + " via " + api.socket()
                    + ": servers " + stableServer + " and " + canaryServer + " both have weight 0, so nothing gets traffic",
                    null);
        }
        return Weights.canary((int) Math.round(100.0 * canary / (stable + canary)));
    }

    @Override
    public String describe() {
        return "HAProxy backend " + backend + " via " + api.socket();
    }

    @Override
    public Observations observe() {
        Map<String, HaproxyStats> now = stats();
        HaproxyStats stable = now.get(stableServer);
        HaproxyStats canary = now.get(canaryServer);
        Counts s;
        Counts c;
        synchronized (baselineLock) {
            s = since(stable);
            c = since(canary);
        }
        Map<String, Observations.Pair> metrics = Map.of(
                ERROR_RATE, new Observations.Pair(s.errorRate(), c.errorRate()),
                LATENCY_AVG_MS, new Observations.Pair(ifAny(s, stable.responseTimeMs()), ifAny(c, canary.responseTimeMs())),
                TOTAL_TIME_AVG_MS, new Observations.Pair(ifAny(s, stable.totalTimeMs()), ifAny(c, canary.totalTimeMs())));
        return new Observations(s, c, new double[0], new double[0], metrics);
    }

    @Override
    public void reset() {
        Map<String, HaproxyStats> now = stats();
        Map<String, Counts> base = new HashMap<>();
        base.put(stableServer, now.get(stableServer).counts());
        base.put(canaryServer, now.get(canaryServer).counts());
        synchronized (baselineLock) {
            baseline = Map.copyOf(base);
        }
    }

    /** Counts since the baseline; when HAProxy's counters went back (restart, {@code clear counters}), all of them. */
    private Counts since(HaproxyStats now) {
        Counts base = baseline.getOrDefault(now.server(), Counts.ZERO);
        long requests = now.requests() - base.requests();
        long errors = now.errors() - base.errors();
        if (requests < 0 || errors < 0 || errors > requests) {
            baseline = withServer(now.server(), Counts.ZERO);
            return now.counts();
        }
        return new Counts(requests, errors);
    }

    private Map<String, Counts> withServer(String server, Counts counts) {
        Map<String, Counts> next = new HashMap<>(baseline);
        next.put(server, counts);
        return Map.copyOf(next);
    }

    private static double ifAny(Counts counts, double value) {
        return counts.requests() == 0 ? Double.NaN : value;
    }

    /** Both servers' lines of {@code show stat}. */
    private Map<String, HaproxyStats> stats() {
        String command = "show stat " + backend + " 4 -1";
        String answer = api.execute(command);
        if (!answer.stripLeading().startsWith("# ")) {
            throw rejected(command, answer);
        }
        Map<String, HaproxyStats> servers;
        try {
            servers = HaproxyStats.parse(answer, backend);
        } catch (RolloutException e) {
            throw new RolloutException(Kind.EXTERNAL, describe() + ": " + e.getMessage(), e);
        }
        for (String server : new String[] {stableServer, canaryServer}) {
            if (!servers.containsKey(server)) {
                throw new RolloutException(Kind.EXTERNAL, describe() + ": the backend has no server " + server
                        + " (servers: " + String.join(", ", servers.keySet().stream().sorted().toList()) + ")", null);
            }
        }
        return servers;
    }

    /** Throws when HAProxy answered anything but blank lines (a command that worked answers nothing). */
    private void check(String answer, String what) {
        if (!answer.isBlank()) {
            throw rejected(what, answer);
        }
    }

    private RolloutException rejected(String command, String answer) {
        String said = answer.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse("an empty answer");
        return new RolloutException(Kind.EXTERNAL, "HAProxy runtime API at " + api.socket() + " refused '" + command
                + "': " + said, null);
    }

    @Override
    public void close() {
        // one connection per command: nothing stays open
    }
}
