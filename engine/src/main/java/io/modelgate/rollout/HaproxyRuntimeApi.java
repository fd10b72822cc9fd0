package io.modelgate.rollout;

import io.modelgate.common.ModelgateException.Kind;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * HAProxy's runtime API (the "stats socket") in non-interactive mode: one connection per call, one
 * command line sent, the answer read until HAProxy closes the connection.
 *
 * <p>The socket is a UNIX socket path ({@code /run/haproxy/admin.sock}, optionally written
 * {@code unix@/run/haproxy/admin.sock}) or {@code host:port} for a TCP stats socket. Connecting,
 * writing and reading together are bounded by the timeout. Stateless and thread-safe.
 */
final class HaproxyRuntimeApi {
    /** Answers above this size are cut off: {@code show stat} of a whole HAProxy stays far below. */
    private static final int MAX_ANSWER = 32 * 1024 * 1024;

    private final String socket;
    private final SocketAddress address;
    private final Duration timeout;

    /**
     * @throws RolloutException BAD_INPUT when {@code socket} is neither a path nor host:port
     */
    HaproxyRuntimeApi(String socket, Duration timeout) {
        if (socket == null || socket.isBlank()) {
            throw new RolloutException("router.socket: the HAProxy runtime API socket is required (a path or host:port)");
        }
        this.socket = socket.strip();
        this.address = address(this.socket);
        this.timeout = timeout;
    }

    /** The socket as configured, for messages. */
    String socket() {
        return socket;
    }

    static SocketAddress address(String socket) {
        String s = socket.startsWith("unix@") ? socket.substring("unix@".length()) : socket;
        int colon = s.lastIndexOf(':');
        if (s.contains("/") || colon < 0) {
            return UnixDomainSocketAddress.of(s);
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 1 || port > 65_535) {
            throw new RolloutException("router.socket: expected a UNIX socket path or host:port, got '" + socket + "'");
        }
        return InetSocketAddress.createUnresolved(host, port);
    }

    /**
     * Sends one command line (several commands may be joined with {@code ;}) and returns HAProxy's
     * whole answer.
     *
     * @throws RolloutException EXTERNAL, one line naming the socket, when it cannot be reached or does
     *                          not answer within the timeout
     */
    String execute(String command) {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketAddress target = address;
        try {
            if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
                target = new InetSocketAddress(inet.getHostString(), inet.getPort());
                if (((InetSocketAddress) target).isUnresolved()) {
                    throw failure("unknown host " + inet.getHostString(), null);
                }
            }
            try (SocketChannel channel = target instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
                 Selector selector = Selector.open()) {
                channel.configureBlocking(false);
                SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
                if (!channel.connect(target)) {
                    while (!channel.finishConnect()) {
                        await(selector, deadline);
                    }
                }
                ByteBuffer out = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
                key.interestOps(SelectionKey.OP_WRITE);
                while (out.hasRemaining()) {
                    if (channel.write(out) == 0) {
                        await(selector, deadline);
                    }
                }
                key.interestOps(SelectionKey.OP_READ);
                ByteArrayOutputStream answer = new ByteArrayOutputStream();
                ByteBuffer in = ByteBuffer.allocate(64 * 1024);
                while (true) {
                    int n = channel.read(in);
                    if (n < 0) {
                        break;
                    }
                    if (n == 0) {
                        await(selector, deadline);
                        continue;
                    }
                    answer.write(in.array(), 0, in.position());
                    in.clear();
                    if (answer.size() > MAX_ANSWER) {
                        throw failure("the answer to '" + command + "' is larger than " + MAX_ANSWER + " bytes", null);
                    }
                }
                return answer.toString(StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            String why = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
                    : e.getMessage().lines().findFirst().orElse("");
            throw failure(why, e);
        }
    }

    private void await(Selector selector, long deadline) throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw failure("no answer within " + timeout.toMillis() + " ms", null);
        }
        selector.select(left);
        selector.selectedKeys().clear();
    }

    private RolloutException failure(String why, Throwable cause) {
        return new RolloutException(Kind.EXTERNAL, "HAProxy runtime API at " + socket + " does not answer: " + why, cause);
    }
}
