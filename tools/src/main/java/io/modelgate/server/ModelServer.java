package io.modelgate.server;

import io.modelgate.rollout.EmbeddedHttp;
import io.modelgate.rollout.LoopbackServer;
import io.modelgate.rollout.RolloutException;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * A tiny model server for demos and tests: {@code GET|POST /predict} answers
 * {@code {"model":"VERSION","score":0.1234}}, with a configurable share of 500 answers and latency,
 * and {@code GET /metrics} exposes Prometheus text format:
 * {@code model_requests_total{code="200"|"500"}} (both always present, so a rate query is never empty)
 * and the histogram {@code model_request_duration_seconds} (default Prometheus buckets, 5 ms to 10 s).
 *
 * <p>The score is a function of the request body, so the same input gets the same score. Failures
 * are drawn from a seeded random generator (the sequence is reproducible; which concurrent request
 * draws which number is not). Listens on 127.0.0.1 only; {@link #close()} stops all its threads.
 */
public final class ModelServer implements AutoCloseable {
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final String[] BUCKET_LABELS = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1",
            "2.5", "5", "10"};

    /**
     * How the server answers /predict.
     *
     * @param errorRate fraction of requests answered 500, 0..1
     * @param latencyMs base time to answer, milliseconds
     * @param jitterMs  uniform extra time 0..jitterMs added to each answer
     * @param scorePower the score is the input's score to this power: 1 answers as every version does, 2 moves
     *                  the predictions down (a retrained model that scores differently)
     */
    public record Behaviour(double errorRate, long latencyMs, long jitterMs, double scorePower) {
        public Behaviour(double errorRate, long latencyMs, long jitterMs) {
            this(errorRate, latencyMs, jitterMs, 1);
        }

        public Behaviour {
            if (!(scorePower > 0 && scorePower <= 100)) {
                throw new RolloutException("model server score power must be above 0 and at most 100: " + scorePower);
            }
            if (!(errorRate >= 0 && errorRate <= 1)) {
                throw new RolloutException("model server error rate must be between 0 and 1: " + errorRate);
            }
            if (latencyMs < 0 || jitterMs < 0 || latencyMs > 60_000 || jitterMs > 60_000) {
                throw new RolloutException("model server latency and jitter must be 0..60000 ms: "
                        + latencyMs + " + " + jitterMs);
            }
        }

        /** No errors, no added latency. */
        public static Behaviour healthy() {
            return new Behaviour(0, 0, 0);
        }

        public Behaviour withErrorRate(double rate) {
            return new Behaviour(rate, latencyMs, jitterMs, scorePower);
        }

        public Behaviour withLatency(long baseMs, long jitter) {
            return new Behaviour(errorRate, baseMs, jitter, scorePower);
        }

        public Behaviour withScorePower(double power) {
            return new Behaviour(errorRate, latencyMs, jitterMs, power);
        }
    }

    private final String version;
    private final Random random;
    private final int threadCount;
    private volatile Behaviour behaviour;
    private final LoopbackServer server;

    // metrics, guarded by `this`
    private long ok;
    private long failed;
    private final long[] bucketCounts = new long[BUCKETS.length];
    private double durationSum;

    public ModelServer(String version, Behaviour behaviour, long seed) {
        this(version, behaviour, seed, 32);
    }

    public ModelServer(String version, Behaviour behaviour, long seed, int threads) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new RolloutException("model version must be 1-64 characters of A-Z a-z 0-9 . _ -: " + version);
        }
        if (threads < 1 || threads > 1024) {
            throw new RolloutException("model server threads must be between 1 and 1024: " + threads);
        }
        this.version = version;
        this.behaviour = behaviour;
        this.random = new Random(seed);
        this.threadCount = threads;
        this.server = new LoopbackServer("model server", "modelgate-model-" + version);
    }

    /** Starts on a free port of 127.0.0.1. */
    public ModelServer start() {
        return start(0);
    }

    /**
     * Starts on 127.0.0.1:{@code port} (0 for a free one).
     *
     * @throws RolloutException EXTERNAL when the port cannot be bound
     */
    public ModelServer start(int port) {
        server.start(port, threadCount, s -> {
            s.createContext("/predict", this::predict);
            s.createContext("/metrics", this::metrics);
            s.createContext("/", exchange -> {
                try (exchange) {
                    send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
                }
            });
        });
        return this;
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI baseUrl() {
        return server.baseUrl();
    }

    public String version() {
        return version;
    }

    public Behaviour behaviour() {
        return behaviour;
    }

    /** Changes how later requests are answered, e.g. to turn a canary bad in the middle of a demo. */
    public void behave(Behaviour next) {
        behaviour = java.util.Objects.requireNonNull(next, "behaviour");
    }

    /** Predictions answered so far (200 and 500). */
    public synchronized long predictions() {
        return ok + failed;
    }

    /** The /metrics page as it is now. */
    public synchronized String prometheusText() {
        StringBuilder b = new StringBuilder(1024);
        b.append("# HELP model_requests_total Prediction requests answered, by HTTP status code.\n");
        b.append("# TYPE model_requests_total counter\n");
        b.append("model_requests_total{code=\"200\"} ").append(ok).append('\n');
        b.append("model_requests_total{code=\"500\"} ").append(failed).append('\n');
        b.append("# HELP model_request_duration_seconds Time to answer a prediction request.\n");
        b.append("# TYPE model_request_duration_seconds histogram\n");
        long cumulative = 0;
        for (int i = 0; i < BUCKETS.length; i++) {
            cumulative += bucketCounts[i];
            b.append("model_request_duration_seconds_bucket{le=\"").append(BUCKET_LABELS[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        b.append("model_request_duration_seconds_bucket{le=\"+Inf\"} ").append(ok + failed).append('\n');
        b.append("model_request_duration_seconds_sum ").append(String.format(Locale.ROOT, "%.6f", durationSum))
                .append('\n');
        b.append("model_request_duration_seconds_count ").append(ok + failed).append('\n');
        return b.toString();
    }

    private synchronized void count(boolean error, double seconds) {
        if (error) {
            failed++;
        } else {
            ok++;
        }
        durationSum += seconds;
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                bucketCounts[i]++;
                return;
            }
        }
    }

    private void predict(HttpExchange exchange) throws IOException {
        try (exchange) {
            long started = System.nanoTime();
            String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"POST".equals(method)) {
                exchange.getResponseHeaders().set("Allow", "GET, POST");
                send(exchange, 405, "text/plain; charset=utf-8", "use GET or POST\n");
                return;
            }
            byte[] input = exchange.getRequestBody().readAllBytes();
            Behaviour b = behaviour;
            long delay;
            boolean fail;
            synchronized (random) {
                fail = random.nextDouble() < b.errorRate();
                delay = b.latencyMs() + (b.jitterMs() == 0 ? 0 : (long) (random.nextDouble() * (b.jitterMs() + 1)));
            }
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // closing
                }
            }
            count(fail, (System.nanoTime() - started) / 1e9);
            if (fail) {
                send(exchange, 500, "application/json", "{\"model\":\"" + version + "\",\"error\":\"injected failure\"}");
            } else {
                send(exchange, 200, "application/json", String.format(Locale.ROOT,
                        "{\"model\":\"%s\",\"score\":%.4f}", version, Math.pow(score(input), b.scorePower())));
            }
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", prometheusText());
        }
    }

    /** A stable score in [0, 1) from the input bytes. */
    static double score(byte[] input) {
        int h = Arrays.hashCode(input) * 0x9E3779B9;
        return ((h ^ (h >>> 16)) & 0xFFFFFF) / (double) (1 << 24);
    }

    private static void send(HttpExchange exchange, int status, String contentType, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        EmbeddedHttp.avoidNagleStall(exchange);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }

    @Override
    public void close() {
        server.close();
    }
}
