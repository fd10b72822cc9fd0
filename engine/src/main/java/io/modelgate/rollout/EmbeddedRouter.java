package io.modelgate.rollout;

import com.sun.net.httpserver.HttpExchange;
import io.modelgate.common.ModelgateException.Kind;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP reverse proxy inside this process that splits traffic between a stable and a canary
 * upstream, and counts what each of them did: the embedded {@link TrafficRouter} and
 * {@link MetricsProvider} for demos, tests and single-machine rollouts.
 *
 * <ul>
 *   <li>Routing: smooth weighted round robin ({@link EmbeddedSplitter}), deterministic and exact
 *       (90/10 sends exactly 9 of every 10 consecutive requests to the stable version). Weight
 *       changes are atomic and apply to every request that arrives after {@link #setWeights} returns;
 *       requests already forwarded finish where they were sent.</li>
 *   <li>Forwarding: method, path, query, body, {@code Content-Type} and {@code Accept} go to the
 *       upstream; its status, body and headers (less hop-by-hop ones) come back, with
 *       {@code X-Modelgate-Target: stable|canary} added.</li>
 *   <li>Errors: an upstream 5xx is relayed as is and counted as an error of that target; a connection
 *       failure or timeout is answered with 502 and also counted as an error of that target.</li>
 *   <li>Latency: the upstream round trip in milliseconds of every request that got an upstream answer
 *       (2xx to 5xx), kept per interval in a bounded uniform reservoir; connection failures have no
 *       latency sample (they would make a dead canary look fast).</li>
 * </ul>
 *
 * <p>Thread-safe. Listens on 127.0.0.1 only. {@link #close()} stops the server and all its threads.
 */
public final class EmbeddedRouter implements TrafficRouter, MetricsProvider {

    /** Header naming the target that answered. */
    public static final String TARGET_HEADER = "X-Modelgate-Target";
    /** Named metric: errors per request, cumulative; NaN without requests. */
    public static final String ERROR_RATE = "error_rate";
    /** Named metric: median latency (ms) of the interval; NaN without samples. */
    public static final String LATENCY_P50_MS = "latency_p50_ms";
    /** Named metric: 99th percentile latency (ms) of the interval; NaN without samples. */
    public static final String LATENCY_P99_MS = "latency_p99_ms";

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "date");
    private static final List<String> FORWARDED_REQUEST_HEADERS = List.of("Content-Type", "Accept");
    /**
     * Predictions kept per version (a uniform sample beyond): enough for a PSI over deciles, and few enough
     * that the exact Kolmogorov-Smirnov test of every look stays within milliseconds.
     */
    static final int MAX_PREDICTIONS = 2_000;

    /**
     * Tuning of the router.
     *
     * @param threads         request handler threads (also the maximum of concurrent forwarded requests)
     * @param connectTimeout  to open a connection to an upstream
     * @param requestTimeout  for an upstream to answer; after it the client gets 502
     * @param latencySamples  latencies kept per target and interval (a uniform sample beyond that)
     * @param seed            of the reservoir sampling
     */
    public record Options(int threads, Duration connectTimeout, Duration requestTimeout, int latencySamples,
                          long seed) {
        public Options {
            if (threads < 1 || threads > 1024) {
                throw new RolloutException("router threads must be between 1 and 1024: " + threads);
            }
            if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()
                    || requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new RolloutException("router timeouts must be positive");
            }
            if (latencySamples < 1) {
                throw new RolloutException("router latency samples must be at least 1: " + latencySamples);
            }
        }

        /** 16 threads, 2 s to connect, 10 s to answer, 10,000 latency samples per interval. */
        public static Options defaults() {
            return new Options(16, Duration.ofSeconds(2), Duration.ofSeconds(10), 10_000, 42L);
        }

        public Options withRequestTimeout(Duration timeout) {
            return new Options(threads, connectTimeout, timeout, latencySamples, seed);
        }

        public Options withThreads(int n) {
            return new Options(n, connectTimeout, requestTimeout, latencySamples, seed);
        }

        public Options withLatencySamples(int n) {
            return new Options(threads, connectTimeout, requestTimeout, n, seed);
        }
    }

    /** Counters of one target; guarded by its own monitor. */
    private static final class TargetStats {
        private final EmbeddedLatencyReservoir latencies;
        private long requests;
        private long errors;

        TargetStats(int samples, long seed) {
            latencies = new EmbeddedLatencyReservoir(samples, seed);
        }

        synchronized void record(boolean error, double latencyMs) {
            requests++;
            if (error) {
                errors++;
            }
            if (!Double.isNaN(latencyMs)) {
                latencies.record(latencyMs);
            }
        }

        synchronized Snapshot drain() {
            Snapshot s = new Snapshot(new Counts(requests, errors), latencies.snapshot());
            latencies.clear();
            return s;
        }

        synchronized void reset() {
            requests = 0;
            errors = 0;
            latencies.clear();
        }
    }

    private record Snapshot(Counts counts, double[] latencyMs) {
    }

    private final Map<EmbeddedTarget, URI> upstreams;
    private final Options options;
    private final RolloutPlan.Traffic traffic;
    private final PredictionSamples predictions;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong answeredByCanary = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong mirrored = new java.util.concurrent.atomic.AtomicLong();
    private final EmbeddedSplitter splitter = new EmbeddedSplitter(Weights.ALL_STABLE);
    private final Map<EmbeddedTarget, TargetStats> stats = new EnumMap<>(EmbeddedTarget.class);
    private final Object lifecycle = new Object();
    private final LoopbackServer server = new LoopbackServer("embedded router", "modelgate-router");
    private boolean started;
    private ExecutorService clientExecutor;
    private final EmbeddedThreads clientThreads = new EmbeddedThreads("modelgate-router-client");
    private HttpClient client;
    private volatile boolean running;
    private volatile boolean closed;

    public EmbeddedRouter(URI stable, URI canary) {
        this(stable, canary, Options.defaults());
    }

    public EmbeddedRouter(URI stable, URI canary, Options options) {
        this(stable, canary, options, RolloutPlan.Traffic.CANARY);
    }

    /**
     * In the plan's traffic mode: canary (the canary answers its share), shadow (its share is mirrored to
     * it and its answers discarded) or A/B (its share of the clients, named by a header or a cookie).
     */
    public EmbeddedRouter(URI stable, URI canary, Options options, RolloutPlan.Traffic traffic) {
        this.traffic = traffic;
        this.predictions = new PredictionSamples(traffic.score(), Math.min(options.latencySamples(), MAX_PREDICTIONS),
                options.seed() + 2);
        Map<EmbeddedTarget, URI> u = new EnumMap<>(EmbeddedTarget.class);
        u.put(EmbeddedTarget.STABLE, checkUpstream("stable", stable));
        u.put(EmbeddedTarget.CANARY, checkUpstream("canary", canary));
        this.upstreams = Map.copyOf(u);
        this.options = options;
        stats.put(EmbeddedTarget.STABLE, new TargetStats(options.latencySamples(), options.seed()));
        stats.put(EmbeddedTarget.CANARY, new TargetStats(options.latencySamples(), options.seed() + 1));
    }

    private static URI checkUpstream(String name, URI uri) {
        if (uri == null || uri.getHost() == null || uri.getScheme() == null
                || !Set.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
            throw new RolloutException("the " + name + " upstream must be an http(s) URL with a host: "
                    + io.modelgate.common.Redactor.url(String.valueOf(uri)));
        }
        String s = uri.toString();
        return URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0 picks a free port, see {@link #port()}).
     *
     * @throws RolloutException EXTERNAL when the port cannot be bound
     * @throws IllegalStateException when started twice or after {@link #close()}
     */
    public EmbeddedRouter start(int port) {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("the embedded router can be started once");
            }
            ExecutorService clients = Executors.newCachedThreadPool(clientThreads);
            client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(options.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .executor(clients)
                    .build();
            try {
                server.start(port, options.threads(), s -> s.createContext("/", this::handle));
            } catch (RuntimeException e) {
                clientThreads.stop(clients);
                throw e;
            }
            clientExecutor = clients;
            started = true;
            running = true;
            return this;
        }
    }

    /** The port it listens on. */
    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT}: where clients send their requests. */
    public URI baseUrl() {
        return server.baseUrl();
    }

    /** The upstream base URL of a target. */
    public URI upstream(EmbeddedTarget target) {
        return upstreams.get(target);
    }

    @Override
    public void setWeights(int stablePercent, int canaryPercent) {
        Weights next = new Weights(stablePercent, canaryPercent);
        if (closed) {
            throw new RolloutException(Kind.EXTERNAL, "cannot set weights " + next + ": " + describe() + " is closed",
                    null);
        }
        splitter.set(next);
    }

    @Override
    public Weights weights() {
        return splitter.weights();
    }

    @Override
    public String describe() {
        return server.describe();
    }

    @Override
    public Observations observe() {
        requireRunning("read metrics from");
        Snapshot stable = stats.get(EmbeddedTarget.STABLE).drain();
        Snapshot canary = stats.get(EmbeddedTarget.CANARY).drain();
        Map<String, Observations.Pair> metrics = Map.of(
                ERROR_RATE, new Observations.Pair(stable.counts().errorRate(), canary.counts().errorRate()),
                LATENCY_P50_MS, new Observations.Pair(percentile(stable.latencyMs(), 0.50),
                        percentile(canary.latencyMs(), 0.50)),
                LATENCY_P99_MS, new Observations.Pair(percentile(stable.latencyMs(), 0.99),
                        percentile(canary.latencyMs(), 0.99)));
        return new Observations(stable.counts(), canary.counts(), stable.latencyMs(), canary.latencyMs(), metrics)
                .withPredictions(predictions.snapshot());
    }

    /** Client requests the canary answered (none in shadow mode, below 100%: its answers are discarded). */
    public long answeredByCanary() {
        return answeredByCanary.get();
    }

    /** Requests copied to the canary in shadow mode. */
    public long mirrored() {
        return mirrored.get();
    }

    @Override
    public void reset() {
        requireRunning("reset");
        stats.values().forEach(TargetStats::reset);
        predictions.clear();
    }

    private void requireRunning(String what) {
        if (!running) {
            throw new RolloutException(Kind.EXTERNAL, "cannot " + what + " " + describe() + ": it is not running",
                    null);
        }
    }

    /** Nearest-rank percentile; NaN for no values. */
    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /**
     * Stops listening at once, lets the requests in flight finish (up to the request timeout and a second),
     * then ends its threads: a promotion's last requests are answered, not cut.
     */
    @Override
    public void close() {
        // idempotent: the server's close is, and the client threads are stopped once
        synchronized (lifecycle) {
            running = false;
            closed = true;
            server.close(options.requestTimeout().plusSeconds(1), inFlight::get);
            if (clientExecutor != null) {
                clientThreads.stop(clientExecutor);
                clientExecutor = null;
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        inFlight.incrementAndGet();
        try (exchange) {
            Weights w = splitter.weights();
            EmbeddedTarget target;
            boolean mirror = false;
            switch (traffic.mode()) {
                case AB -> target = EmbeddedAssignment.side(clientKey(exchange), w);
                case SHADOW -> {
                    // below 100% the canary only ever gets copies; at 100% (the promotion) it serves
                    EmbeddedTarget picked = splitter.pick();
                    mirror = picked == EmbeddedTarget.CANARY && w.canary() < 100;
                    target = mirror ? EmbeddedTarget.STABLE : picked;
                }
                default -> target = splitter.pick();
            }
            exchange.getResponseHeaders().set(TARGET_HEADER, target.label());
            byte[] body = exchange.getRequestBody().readAllBytes();
            long started = System.nanoTime();
            HttpResponse<byte[]> response;
            try {
                response = client.send(forward(exchange, target, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException | RuntimeException e) {
                stats.get(target).record(true, Double.NaN);
                badGateway(exchange, target, e);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stats.get(target).record(true, Double.NaN);
                badGateway(exchange, target, e);
                return;
            }
            double latencyMs = (System.nanoTime() - started) / 1e6;
            stats.get(target).record(response.statusCode() >= 500, latencyMs);
            if (mirror) {
                mirrorToCanary(exchange, body, response);
            }
            if (target == EmbeddedTarget.CANARY) {
                answeredByCanary.incrementAndGet();
            }
            relay(exchange, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The A/B key of a request: its header's value, or its cookie's; empty when it has none. */
    private String clientKey(HttpExchange exchange) {
        if (!traffic.header().isEmpty()) {
            String v = exchange.getRequestHeaders().getFirst(traffic.header());
            return v == null ? "" : v.trim();
        }
        return EmbeddedAssignment.cookie(exchange.getRequestHeaders().getOrDefault("Cookie", List.of()), traffic.cookie());
    }

    /**
     * Sends a copy of the request to the canary without waiting for it; its answer is measured and its
     * prediction kept, then dropped. The stable version's prediction for the same request is kept beside it.
     */
    // nothing waits for the copy, whose answer is only measured; the callback handles its failure
    @SuppressWarnings("FutureReturnValueIgnored")
    private void mirrorToCanary(HttpExchange exchange, byte[] body, HttpResponse<byte[]> stableAnswer) {
        HttpRequest copy = forward(exchange, EmbeddedTarget.CANARY, body);
        mirrored.incrementAndGet();
        long started = System.nanoTime();
        predictions.stable(stableAnswer.statusCode() < 500 ? stableAnswer.body() : null);
        client.sendAsync(copy, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((answer, failure) -> {
            if (failure != null) {
                stats.get(EmbeddedTarget.CANARY).record(true, Double.NaN);
                return;
            }
            // the prediction first: whoever sees the count sees the prediction too
            predictions.canary(answer.statusCode() < 500 ? answer.body() : null);
            stats.get(EmbeddedTarget.CANARY).record(answer.statusCode() >= 500, (System.nanoTime() - started) / 1e6);
        });
    }

    private HttpRequest forward(HttpExchange exchange, EmbeddedTarget target, byte[] body) {
        URI uri = upstreamUri(upstreams.get(target), exchange.getRequestURI());
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(options.requestTimeout())
                .method(exchange.getRequestMethod(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String name : FORWARDED_REQUEST_HEADERS) {
            for (String value : exchange.getRequestHeaders().getOrDefault(name, List.of())) {
                request.header(name, value);
            }
        }
        return request.build();
    }

    private static URI upstreamUri(URI base, URI incoming) {
        String path = incoming.getRawPath() == null ? "" : incoming.getRawPath();
        String query = incoming.getRawQuery() == null ? "" : "?" + incoming.getRawQuery();
        return URI.create(base + path + query);
    }

    private static void relay(HttpExchange exchange, HttpResponse<byte[]> response) throws IOException {
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.startsWith(":")
                    && !lower.equals(TARGET_HEADER.toLowerCase(Locale.ROOT))) {
                exchange.getResponseHeaders().put(name, List.copyOf(values));
            }
        });
        EmbeddedHttp.avoidNagleStall(exchange);
        byte[] body = response.body();
        boolean noBody = body.length == 0 || "HEAD".equalsIgnoreCase(exchange.getRequestMethod());
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : body.length);
        if (!noBody) {
            exchange.getResponseBody().write(body);
        }
    }

    private static void badGateway(HttpExchange exchange, EmbeddedTarget target, Exception cause) throws IOException {
        String reason = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName() : cause.getMessage();
        byte[] body = ("upstream " + target.label() + " failed: " + reason.replace('\n', ' ') + "\n")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        EmbeddedHttp.avoidNagleStall(exchange);
        exchange.sendResponseHeaders(502, body.length);
        exchange.getResponseBody().write(body);
    }
}
