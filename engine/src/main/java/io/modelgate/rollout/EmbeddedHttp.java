package io.modelgate.rollout;

import com.sun.net.httpserver.HttpExchange;

/**
 * Works around a 40 ms stall of the JDK's {@code HttpServer} on keep-alive connections.
 *
 * <p>The server writes the response head and the body in two TCP segments and, unless the JVM was
 * started with {@code -Dsun.net.httpserver.nodelay=true}, does not set TCP_NODELAY: Nagle's algorithm
 * holds the body until the client acknowledges the head, and the client delays that acknowledgement
 * by up to 40 ms. Every answer would take 40 ms more than it should, which would also falsify the
 * latencies a canary is judged on. Closing the connection after each answer pushes the body out at
 * once; a new loopback connection costs well under a millisecond. The property is only read, never
 * set: it is JVM-wide and read once, so setting it here would depend on who created a server first.
 */
public final class EmbeddedHttp {
    private static final boolean NO_DELAY = Boolean.getBoolean("sun.net.httpserver.nodelay");

    private EmbeddedHttp() {
    }

    /** Call before {@code sendResponseHeaders}. */
    public static void avoidNagleStall(HttpExchange exchange) {
        if (!NO_DELAY) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }
}
