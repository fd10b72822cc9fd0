package io.modelgate.rollout;

import com.sun.net.httpserver.HttpServer;
import io.modelgate.common.ModelgateException.Kind;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * An HTTP server on 127.0.0.1 that is started once and stopped with all its threads: what the
 * embedded router and the demo's model servers listen with. Thread-safe.
 */
public final class LoopbackServer implements AutoCloseable {
    private final String what;
    private final EmbeddedThreads threads;
    private final Object lifecycle = new Object();
    private HttpServer server;
    private ExecutorService executor;
    private int boundPort;
    private boolean closed;

    /**
     * @param what        what listens, for messages: "embedded router", "model server"
     * @param threadNames the prefix of its handler threads' names
     */
    public LoopbackServer(String what, String threadNames) {
        this.what = what;
        this.threads = new EmbeddedThreads(threadNames);
    }

    /**
     * Listens on 127.0.0.1:{@code port} (0 picks a free port, see {@link #port()}) with
     * {@code handlerThreads} threads, once {@code contexts} has added the handlers.
     *
     * @throws RolloutException EXTERNAL when the port cannot be bound, a usage error for a port outside 0-65535
     * @throws IllegalStateException when started twice or after {@link #close()}
     */
    public void start(int port, int handlerThreads, Consumer<HttpServer> contexts) {
        synchronized (lifecycle) {
            if (server != null || closed) {
                throw new IllegalStateException("the " + what + " can be started once");
            }
            if (port < 0 || port > 65_535) {
                throw new RolloutException(what + " port must be between 0 and 65535: " + port);
            }
            HttpServer s;
            try {
                s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
            } catch (IOException e) {
                throw new RolloutException(Kind.EXTERNAL, "cannot start the " + what + " on 127.0.0.1:" + port + ": "
                        + (e instanceof BindException ? e.getMessage() : e.toString()), e);
            }
            executor = Executors.newFixedThreadPool(handlerThreads, threads);
            contexts.accept(s);
            s.setExecutor(executor);
            s.start();
            server = s;
            boundPort = s.getAddress().getPort();
        }
    }

    /** The port it listens on. */
    public int port() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("the " + what + " is not started");
            }
            return boundPort;
        }
    }

    /** {@code http://127.0.0.1:PORT}: where clients send their requests. */
    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port());
    }

    /** "embedded router on 127.0.0.1:PORT", or "... (not started)". */
    public String describe() {
        synchronized (lifecycle) {
            return server == null ? what + " (not started)" : what + " on 127.0.0.1:" + boundPort;
        }
    }

    /** Stops listening and its threads; idempotent, and it cannot be started afterwards. */
    @Override
    public void close() {
        close(Duration.ZERO, () -> 0);
    }

    /**
     * Stops listening at once, then waits up to {@code grace} for the exchanges in flight to finish before
     * ending its threads (idempotent).
     *
     * @param inFlight how many exchanges the handlers are working on now
     */
    public void close(Duration grace, IntSupplier inFlight) {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (server != null) {
                // The JDK's stop(d) closes the listener and returns when the last exchange in flight ends, but
                // waits all of d when none is (JDK-8304065, fixed in 21): so only ask it to wait for some.
                int seconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, grace.toSeconds()));
                server.stop(inFlight.getAsInt() > 0 && !grace.isZero() ? seconds : 0);
                threads.stop(executor);
            }
        }
    }
}
