package io.modelgate.server;

import io.modelgate.rollout.EmbeddedThreads;
import io.modelgate.rollout.RolloutException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends prediction requests to one URL with a few concurrent workers, for demos and tests of a
 * canary: POST of a small JSON body, bounded in count and in time, and it stops by itself.
 *
 * <p>Each worker takes the next request ticket until {@code maxRequests} tickets are taken or
 * {@code maxDuration} has passed; a request in flight at the deadline may finish (it is bounded by
 * {@code requestTimeout}), so {@link #run} returns within {@code maxDuration + requestTimeout}.
 * Only the given URL is requested; redirects are not followed. All threads end before {@link #run}
 * returns.
 */
public final class LoadGenerator {

    /**
     * What to send.
     *
     * @param target         the URL every request goes to (http or https)
     * @param concurrency    concurrent workers, 1..256
     * @param maxRequests    stop after this many requests
     * @param maxDuration    stop sending new requests after this long
     * @param requestTimeout for one answer; a timeout counts as an error
     */
    public record Plan(URI target, int concurrency, long maxRequests, Duration maxDuration, Duration requestTimeout) {
        public Plan {
            if (target == null || target.getHost() == null || target.getScheme() == null
                    || !Set.of("http", "https").contains(target.getScheme().toLowerCase(Locale.ROOT))) {
                throw new RolloutException("load target must be an http(s) URL with a host: " + target);
            }
            if (concurrency < 1 || concurrency > 256) {
                throw new RolloutException("load concurrency must be between 1 and 256: " + concurrency);
            }
            if (maxRequests < 1) {
                throw new RolloutException("load request count must be at least 1: " + maxRequests);
            }
            if (maxDuration == null || maxDuration.isZero() || maxDuration.isNegative()
                    || requestTimeout == null || requestTimeout.isZero() || requestTimeout.isNegative()) {
                throw new RolloutException("load duration and request timeout must be positive");
            }
        }

        /** {@code requests} requests, at most one minute, 10 s per request. */
        public static Plan requests(URI target, long requests, int concurrency) {
            return new Plan(target, concurrency, requests, Duration.ofMinutes(1), Duration.ofSeconds(10));
        }

        /** As many requests as fit in {@code duration} (at most 10 million), 10 s per request. */
        public static Plan forDuration(URI target, Duration duration, int concurrency) {
            return new Plan(target, concurrency, 10_000_000L, duration, Duration.ofSeconds(10));
        }

        public Plan withRequestTimeout(Duration timeout) {
            return new Plan(target, concurrency, maxRequests, maxDuration, timeout);
        }
    }

    /**
     * What happened.
     *
     * @param sent    requests sent
     * @param ok      answered 2xx
     * @param errors  answered otherwise, failed to connect or timed out ({@code ok + errors == sent})
     * @param elapsed from the first request to the last answer
     */
    public record Summary(long sent, long ok, long errors, Duration elapsed) {
        /** Requests per second; 0 when nothing was sent. */
        public double requestsPerSecond() {
            long nanos = elapsed.toNanos();
            return nanos == 0 ? 0 : sent * 1e9 / nanos;
        }
    }

    /** Request {@code n}'s body: inputs differ, so the predictions of a model form a distribution. */
    static byte[] body(long n) {
        return ("{\"features\":[0.42,1.0,3.5],\"id\":" + n + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Sends the plan's requests and waits until all are answered; the calling thread is blocked. */
    public Summary run(Plan plan) {
        EmbeddedThreads workerThreads = new EmbeddedThreads("modelgate-load");
        EmbeddedThreads clientThreads = new EmbeddedThreads("modelgate-load-client");
        ExecutorService workers = Executors.newFixedThreadPool(plan.concurrency(), workerThreads);
        ExecutorService clientExecutor = Executors.newCachedThreadPool(clientThreads);
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(plan.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(clientExecutor)
                .build();
        HttpRequest.Builder request = HttpRequest.newBuilder(plan.target())
                .timeout(plan.requestTimeout())
                .header("Content-Type", "application/json");
        AtomicLong tickets = new AtomicLong();
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long started = System.nanoTime();
        long deadline = started + plan.maxDuration().toNanos();
        Runnable worker = () -> {
            while (!Thread.currentThread().isInterrupted() && System.nanoTime() - deadline < 0
                    && tickets.get() < plan.maxRequests()) {
                long n = tickets.getAndIncrement();
                if (n >= plan.maxRequests()) {
                    break;
                }
                try {
                    HttpResponse<Void> response = client.send(request.copy().POST(HttpRequest.BodyPublishers.ofByteArray(body(n)))
                            .build(), HttpResponse.BodyHandlers.discarding());
                    (response.statusCode() / 100 == 2 ? ok : errors).incrementAndGet();
                } catch (IOException | RuntimeException e) {
                    errors.incrementAndGet();
                } catch (InterruptedException e) {
                    errors.incrementAndGet();
                    Thread.currentThread().interrupt();
                }
            }
        };
        try {
            for (int i = 0; i < plan.concurrency(); i++) {
                workers.execute(worker);
            }
            workers.shutdown();
            long limit = plan.maxDuration().plus(plan.requestTimeout()).plusSeconds(1).toNanos();
            if (!workers.awaitTermination(limit, TimeUnit.NANOSECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            workerThreads.stop(workers);
            clientThreads.stop(clientExecutor);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        long answered = ok.get() + errors.get();
        return new Summary(answered, ok.get(), errors.get(), elapsed);
    }
}
