package io.modelgate.registry;

import io.modelgate.common.Durations;
import io.modelgate.common.ModelgateVersion;
import io.modelgate.common.Redactor;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Delivers committed registry events to the configured {@link Hook}s. It runs after the commit,
 * so whatever happens here (a server down, a script failing, a secret missing) is reported as a
 * problem line and never undoes or fails the change: the registry is the source of truth, a hook
 * only hears about it.
 *
 * <p>A delivery is one JSON body, {@code {"commit", "event", "registry"}}, with one id kept across
 * its retries so the receiver can drop duplicates. A webhook is retried on 5xx, 429, I/O errors and
 * timeouts, as a server that is restarting or overloaded will answer later; any other 4xx means the
 * request itself is wrong, and sending it again would only repeat the answer. A command is retried
 * on a non-zero exit or a timeout, since a script cannot say which of its failures are lasting.
 */
final class HookDelivery {
    /** The wait before the first retry; each later retry waits twice as long as the one before. */
    static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(500);
    /** How long a killed command is given to go before the delivery moves on. */
    private static final long KILL_WAIT_MS = 2_000;

    private final List<Hook> hooks;
    private final Map<String, String> env;
    private final Duration baseDelay;
    private final RegistryJson json;
    /** Built on the first webhook delivery: a registry without webhooks starts no HTTP threads. */
    private HttpClient client;

    HookDelivery(List<Hook> hooks, Map<String, String> env, Duration baseDelay, RegistryJson json) {
        this.hooks = List.copyOf(hooks);
        this.env = Map.copyOf(env);
        this.baseDelay = baseDelay;
        this.json = json;
    }

    /** The same hooks, with secrets and the commands' environment taken from {@code environment}. */
    HookDelivery withEnvironment(Map<String, String> environment) {
        return new HookDelivery(hooks, environment, baseDelay, json);
    }

    /** The same hooks and environment, retried after {@code base}, {@code 2·base}, ... (tests keep it short). */
    HookDelivery withBaseDelay(Duration base) {
        return new HookDelivery(hooks, env, base, json);
    }

    /** What is sent: the JSON fields are written in alphabetical order, as every record of the registry. */
    private record Payload(String registry, String commit, RegistryEvent event) {
    }

    /**
     * Delivers {@code event}, recorded by {@code commit} in {@code registry}, to every hook that wants
     * its type, one after the other. Never throws.
     *
     * @return one line for each hook that did not take it, naming the hook (without credentials) and
     *         its last answer; empty when all did
     */
    List<String> deliver(String registry, String commit, RegistryEvent event) {
        List<String> problems = new ArrayList<>();
        if (hooks.isEmpty()) {
            return problems;
        }
        byte[] body = json.writeLine(new Payload(registry, commit, event)).getBytes(StandardCharsets.UTF_8);
        for (Hook hook : hooks) {
            if (!hook.wants(event.type())) {
                continue;
            }
            String secret = hook.secretEnv().isEmpty() ? "" : env.getOrDefault(hook.secretEnv(), "");
            String problem;
            try {
                problem = deliver(hook, event.type(), body, secret);
            } catch (RuntimeException e) {
                // A hook must not turn a committed change into an error, whatever goes wrong in it.
                problem = "not delivered: " + e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (!problem.isEmpty()) {
                String line = "hook " + hook.describe() + ": " + event.type().id() + " event " + problem;
                problems.add(Redactor.of(env, secret).redact(line.replaceAll("\\R", " ")));
            }
        }
        return problems;
    }

    /** Empty when delivered, else the rest of the problem line. */
    private String deliver(Hook hook, EventType type, byte[] body, String secret) {
        if (!hook.secretEnv().isEmpty() && secret.isEmpty()) {
            return "not delivered: secret_env " + hook.secretEnv() + " is not set or empty in the environment; "
                    + "an event is never sent unsigned to a hook that expects a signature";
        }
        String signature = secret.isEmpty() ? "" : "sha256=" + hmac(secret, body);
        String delivery = UUID.randomUUID().toString();
        Attempt last = null;
        for (int attempt = 1; attempt <= hook.attempts(); attempt++) {
            if (attempt > 1 && !pause(attempt - 2)) {
                return "not delivered: interrupted after " + (attempt - 1) + " attempt(s); last: " + last.status();
            }
            last = hook.isCommand() ? runCommand(hook, type, body, delivery, signature)
                    : post(hook, type, body, delivery, signature);
            if (last.delivered()) {
                return "";
            }
            if (!last.retry()) {
                return "not delivered: " + last.status() + " (not retried)";
            }
        }
        return "not delivered after " + hook.attempts() + (hook.attempts() == 1 ? " attempt" : " attempts")
                + "; last: " + last.status();
    }

    /** What one attempt came to; {@code status} says it in a few words ({@code HTTP 503}, {@code exit 2}). */
    private record Attempt(boolean delivered, boolean retry, String status) {
        static Attempt ok() {
            return new Attempt(true, false, "");
        }

        static Attempt retry(String status) {
            return new Attempt(false, true, status);
        }

        static Attempt fail(String status) {
            return new Attempt(false, false, status);
        }
    }

    /** Waits {@code base·2^k} before retry {@code k} (0 for the first); false when interrupted. */
    private boolean pause(int k) {
        try {
            Thread.sleep(baseDelay.toMillis() << Math.min(k, 20));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Attempt post(Hook hook, EventType type, byte[] body, String delivery, String signature) {
        URI uri = URI.create(hook.url());
        HttpRequest.Builder request = HttpRequest.newBuilder(withoutUserInfo(uri))
                .timeout(hook.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "modelgate/" + ModelgateVersion.current())
                .header("X-Modelgate-Event", type.id())
                .header("X-Modelgate-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (!signature.isEmpty()) {
            request.header("X-Modelgate-Signature-256", signature);
        }
        if (uri.getUserInfo() != null) {
            // user:password in the URL is how a hook's credentials are usually written; HTTP wants them as a header.
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    uri.getUserInfo().getBytes(StandardCharsets.UTF_8)));
        }
        try {
            int status = client().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status >= 200 && status < 300) {
                return Attempt.ok();
            }
            if (status >= 500 || status == 429) {
                return Attempt.retry("HTTP " + status);
            }
            return Attempt.fail("HTTP " + status + (status >= 300 && status < 400 ? " (redirects are not followed)" : ""));
        } catch (HttpTimeoutException e) {
            return Attempt.retry("no answer within " + text(hook.timeout()));
        } catch (ConnectException e) {
            return Attempt.retry("cannot connect" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (IOException e) {
            return Attempt.retry(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Attempt.fail("interrupted");
        }
    }

    private synchronized HttpClient client() {
        if (client == null) {
            // One client for all webhooks: connecting may take as long as the most patient of them allows
            // (each request's own timeout still bounds its exchange). Redirects are not followed: a signed
            // event goes to the configured URL and nowhere else.
            Duration connect = hooks.stream().map(Hook::timeout).max(Duration::compareTo).orElse(Hook.DEFAULT_TIMEOUT);
            client = HttpClient.newBuilder().connectTimeout(connect).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return client;
    }

    private static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null) {
            return uri;
        }
        String s = uri.toString();
        int start = s.indexOf("://") + 3;
        return URI.create(s.substring(0, start) + s.substring(start + uri.getRawUserInfo().length() + 1));
    }

    private Attempt runCommand(Hook hook, EventType type, byte[] body, String delivery, String signature) {
        ProcessBuilder pb = new ProcessBuilder(hook.command());
        // The command sees the environment the registry was given (the build's), not the JVM's own.
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.environment().put("MODELGATE_EVENT", type.id());
        pb.environment().put("MODELGATE_DELIVERY", delivery);
        if (!signature.isEmpty()) {
            pb.environment().put("MODELGATE_SIGNATURE_256", signature);
        }
        // The engine never prints; whatever the command says is its own business.
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return Attempt.fail("cannot run " + hook.command().get(0) + ": " + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                // An event is a few kilobytes at most, well inside a pipe's buffer, so this does not wait on the command.
                in.write(body);
            } catch (IOException e) {
                // The command closed its input without reading it all; its exit status says whether that was fine.
            }
            if (!p.waitFor(hook.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(KILL_WAIT_MS, TimeUnit.MILLISECONDS);
                return Attempt.retry("no exit within " + text(hook.timeout())
                        + " (killed)");
            }
            int exit = p.exitValue();
            return exit == 0 ? Attempt.ok() : Attempt.retry("exit " + exit);
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return Attempt.fail("interrupted");
        }
    }

    /** A timeout as the configuration wrote it: {@code 10s}, {@code 1m 30s}, or {@code 250ms} below a second. */
    private static String text(Duration d) {
        return d.toMillisPart() != 0 ? d.toMillis() + "ms" : Durations.format(d);
    }

    /** The hex HMAC-SHA256 of {@code body} keyed with {@code secret}, as GitHub signs its webhooks. */
    static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
