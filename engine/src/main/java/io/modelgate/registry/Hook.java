package io.modelgate.registry;

import io.modelgate.common.Redactor;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Where a committed registry event is delivered: a URL that receives it as an HTTP POST, or a
 * command that receives it on its standard input. Exactly one of {@code url} and {@code command}
 * is given. The shared secret is named, never held: {@code secretEnv} is the environment variable
 * that holds it when the event is delivered, so no configuration file or registry commit holds it.
 *
 * @param url       an http or https URL, or empty for a command hook
 * @param command   the program and its arguments, run without a shell; empty for a webhook
 * @param secretEnv the environment variable holding the HMAC secret, or empty to send unsigned
 * @param events    the event types delivered (all of them unless the configuration filters)
 * @param attempts  deliveries tried before giving up, 1 to {@value #MAX_ATTEMPTS}
 * @param timeout   how long one attempt may take (the HTTP exchange, or the command's run)
 */
public record Hook(String url, List<String> command, String secretEnv, Set<EventType> events, int attempts,
                   Duration timeout) {
    public static final int MAX_ATTEMPTS = 10;
    public static final int DEFAULT_ATTEMPTS = 3;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public Hook {
        command = List.copyOf(command);
        events = events.isEmpty() ? Set.of() : java.util.Collections.unmodifiableSet(EnumSet.copyOf(events));
        if (url.isEmpty() == command.isEmpty()) {
            throw new IllegalArgumentException("a hook has a url or a command, not both or neither");
        }
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be from 1 to " + MAX_ATTEMPTS);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    /** A webhook for every event, unsigned, with the default attempts and timeout. */
    public static Hook webhook(String url) {
        return new Hook(url, List.of(), "", EnumSet.allOf(EventType.class), DEFAULT_ATTEMPTS, DEFAULT_TIMEOUT);
    }

    public boolean isCommand() {
        return url.isEmpty();
    }

    public boolean wants(EventType type) {
        return events.contains(type);
    }

    /** How messages name the hook: its URL without credentials, or its program. */
    public String describe() {
        return isCommand() ? "command " + command.get(0) : Redactor.url(url);
    }
}
