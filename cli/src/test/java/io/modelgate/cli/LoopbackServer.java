package io.modelgate.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on 127.0.0.1 that a secrets test points Modelgate at, and that records what it
 * receives: an OpenLineage endpoint ({@code /api/v1/lineage}, answers 201) and Git repositories
 * served by the installed {@code git http-backend} (smart HTTP, push included) behind basic
 * authentication, so a registry URL with a password is used for real. What it records is what left
 * the process; only the {@code Authorization} header may carry a credential.
 */
final class LoopbackServer implements AutoCloseable {
    /** One request as it arrived. */
    record Request(String method, String uri, Map<String, List<String>> headers, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Path gitRoot;
    private final String authorization;
    final List<Request> lineage = new CopyOnWriteArrayList<>();
    final List<Request> git = new CopyOnWriteArrayList<>();

    /**
     * @param gitRoot  the folder whose bare repositories are served ({@code /NAME.git})
     * @param user     the user basic authentication accepts
     * @param password its password
     */
    LoopbackServer(Path gitRoot, String user, String password) throws IOException {
        this.gitRoot = gitRoot;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:PORT}, with {@code userInfo@} when given (written into the URL as is). */
    String url(String userInfo) {
        return "http://" + (userInfo.isEmpty() ? "" : userInfo + "@") + "127.0.0.1:" + port();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().toString(), Map.copyOf(ex.getRequestHeaders()), body);
            if (ex.getRequestURI().getPath().startsWith("/api/v1/lineage")) {
                lineage.add(r);
                ex.sendResponseHeaders(201, -1);
                return;
            }
            git.add(r);
            if (!authorization.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"modelgate-test\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            cgi(ex, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code git http-backend} as a CGI program for one request. */
    private void cgi(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
        Map<String, String> env = pb.environment();
        env.put("GIT_PROJECT_ROOT", gitRoot.toString());
        env.put("GIT_HTTP_EXPORT_ALL", "1");
        env.put("REMOTE_USER", "alice"); // enables receive-pack (push)
        env.put("REMOTE_ADDR", "127.0.0.1");
        env.put("REQUEST_METHOD", ex.getRequestMethod());
        env.put("PATH_INFO", ex.getRequestURI().getPath());
        env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery());
        env.put("CONTENT_LENGTH", Integer.toString(body.length));
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            env.put("CONTENT_TYPE", type);
        }
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null) {
            env.put("HTTP_CONTENT_ENCODING", encoding);
        }
        String protocol = ex.getRequestHeaders().getFirst("Git-Protocol");
        if (protocol != null) {
            env.put("GIT_PROTOCOL", protocol);
        }
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(body);
        }
        byte[] out;
        try (InputStream o = p.getInputStream()) {
            out = o.readAllBytes();
        }
        p.waitFor(30, TimeUnit.SECONDS);
        // CGI output: header lines, a blank line, the body.
        int split = indexOf(out, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        int skip = 4;
        if (split < 0) {
            split = indexOf(out, "\n\n".getBytes(StandardCharsets.US_ASCII));
            skip = 2;
        }
        int status = 200;
        List<String> lines = new ArrayList<>(List.of(new String(out, 0, Math.max(split, 0), StandardCharsets.ISO_8859_1)
                .split("\r?\n")));
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            if (name.equalsIgnoreCase("Status")) {
                status = Integer.parseInt(value.split(" ")[0]);
            } else {
                ex.getResponseHeaders().add(name, value);
            }
        }
        byte[] payload = split < 0 ? out : java.util.Arrays.copyOfRange(out, split + skip, out.length);
        ex.sendResponseHeaders(status, payload.length == 0 ? -1 : payload.length);
        if (payload.length > 0) {
            ex.getResponseBody().write(payload);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Everything received, for a grep: request lines, every header but Authorization, and bodies. */
    String receivedWithoutAuthorization() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Request> every = new ArrayList<>(lineage);
        every.addAll(git);
        for (Request r : every) {
            StringBuilder head = new StringBuilder(r.method()).append(' ').append(r.uri()).append('\n');
            r.headers().forEach((k, v) -> {
                if (!k.equalsIgnoreCase("Authorization")) {
                    head.append(k).append(": ").append(v).append('\n');
                }
            });
            all.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
            all.writeBytes(r.body());
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws InterruptedException {
        server.stop(0);
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
    }
}
