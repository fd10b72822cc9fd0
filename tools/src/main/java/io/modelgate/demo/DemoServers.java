package io.modelgate.demo;

import io.modelgate.server.LoadGenerator;
import io.modelgate.server.ModelServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The demo's production and candidate model servers and their users: what a real deployment gives
 * a canary rollout. {@code modelgate demo serve} runs them so the example Jenkinsfile's canary stage
 * has something to shift traffic between; the demo's own canary stage uses the same plan.
 */
public final class DemoServers implements AutoCloseable {
    private final ModelServer stable;
    private final ModelServer canary;
    private final ExecutorService load = Executors.newSingleThreadExecutor();

    /**
     * Starts both servers on free ports.
     *
     * @param badCanary the candidate errs five times as often as production, instead of less
     */
    public DemoServers(String canaryVersion, boolean badCanary, long seed) {
        // The candidate is the better model: fewer errors than production; a bad canary five times more.
        this.stable = new ModelServer("production", ModelServer.Behaviour.healthy().withErrorRate(0.01), seed).start();
        this.canary = new ModelServer(canaryVersion, ModelServer.Behaviour.healthy().withErrorRate(badCanary ? 0.05 : 0.002),
                seed + 1).start();
    }

    /** The demo's canary plan for these servers, promoting {@code model@version} to the champion alias. */
    public String plan(String model, String version, int routerPort) {
        return planText(model, version, stable.port(), canary.port(), routerPort);
    }

    static String planText(String model, String version, int stablePort, int canaryPort, int routerPort) {
        return String.format("""
                # The demo's canary plan: reference docs/canary.md
                model: %s
                canary_version: %s
                promote_to: champion
                stable: http://127.0.0.1:%d
                canary: http://127.0.0.1:%d
                router: {type: embedded, port: %d}
                steps:
                  - {weight: 10, bake: 2s, min_requests: 200}
                  - {weight: 50, bake: 2s, min_requests: 500}
                  - {weight: 100}
                analysis:
                  interval: 500ms
                  judge: sequential
                  inconclusive: continue
                  thresholds:
                    error_rate: {max: 0.03}
                    latency_p99_ms: {max: 500}
                """, model, version, stablePort, canaryPort, routerPort);
    }

    /** Writes the plan for a router on a free port, then sends users' requests to that router for {@code duration}. */
    public Path servePlan(Path planFile, String model, String version, Duration duration) throws IOException {
        int routerPort = freePort();
        Path dir = planFile.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".plan", ".tmp");
        Files.writeString(tmp, plan(model, version, routerPort));
        Files.move(tmp, planFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // Until the rollout starts its router, these requests fail; the rollout only counts what it routes.
        load.execute(() -> new LoadGenerator().run(LoadGenerator.Plan.forDuration(
                URI.create("http://127.0.0.1:" + routerPort + "/predict"), duration, 4)));
        return planFile;
    }

    /** Waits until the users are done (the duration passed) or the thread is interrupted. */
    public void awaitLoad(Duration max) throws InterruptedException {
        load.shutdown();
        load.awaitTermination(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        load.shutdownNow();
        try {
            load.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        canary.close();
        stable.close();
    }
}
