package io.modelgate.rollout;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.common.Names;
import io.modelgate.common.RecordJson;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.registry.Actor;
import io.modelgate.registry.Registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * A rollout's state and abort requests in the registry's store, on
 * {@code refs/modelgate/rollouts/NAME}: every save is a commit (so the rollout's decisions are an
 * audit trail of their own), and with a registry shared through a Git remote any agent can see the
 * rollout and abort it.
 */
public final class RegistryRolloutStore implements RolloutStore {
    private static final String STATE = "state.json";
    private static final String ABORT = "abort";
    private static final Duration REFRESH = Duration.ofSeconds(1);

    private final Registry registry;
    private final String name;
    private final Function<Instant, Actor> actor;
    private final ObjectMapper json = RecordJson.mapper();
    private Instant lastRefresh = Instant.EPOCH;

    /** @param name the rollout's name, a ref component: letters, digits, {@code . _ -} ({@link Names#segment}) */
    public RegistryRolloutStore(Registry registry, String name, Function<Instant, Actor> actor) {
        this.registry = registry;
        this.name = Names.segment("rollout name", name);
        this.actor = actor;
    }

    @Override
    public Optional<RolloutState> load() {
        return registry.rolloutFile(name, STATE).map(bytes -> {
            try {
                return json.readValue(bytes, RolloutState.class);
            } catch (IOException e) {
                throw new RolloutException(describe() + ": unreadable rollout state: "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        });
    }

    @Override
    public void save(RolloutState state) {
        write(current -> true, state);
    }

    @Override
    public boolean compareAndSave(long expected, RolloutState next) {
        return write(current -> current.map(this::revision).orElse(-1L) == expected, next);
    }

    private long revision(byte[] state) {
        try {
            return json.readValue(state, RolloutState.class).revision();
        } catch (IOException e) {
            throw new RolloutException(describe() + ": unreadable rollout state: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private boolean write(java.util.function.Predicate<Optional<byte[]>> expected, RolloutState state) {
        try {
            return registry.writeRolloutFileIf(name, STATE, expected, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(state),
                    "rollout " + name + ": " + state.phase().name().toLowerCase(java.util.Locale.ROOT) + " at step "
                            + (state.step() + 1) + (state.reason().isEmpty() ? ""
                            : " (" + Sanitizer.freeText(Redactor.redactUrls(state.reason())) + ")"),
                    actor.apply(Instant.now()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a rollout state", e);
        }
    }

    @Override
    public void request(Request request) {
        registry.writeRolloutFile(name, ABORT, request.text().getBytes(StandardCharsets.UTF_8),
                "rollout " + name + ": " + request.action().name().toLowerCase(java.util.Locale.ROOT) + " requested ("
                        + RolloutStore.abortReason(request.reason()) + ")", actor.apply(Instant.now()));
    }

    @Override
    public Optional<Request> pending() {
        // Polled often: see other agents' requests at most a second late without fetching every poll.
        if (Duration.between(lastRefresh, Instant.now()).compareTo(REFRESH) >= 0) {
            registry.refresh();
            lastRefresh = Instant.now();
        }
        return registry.rolloutFile(name, ABORT).map(b -> Request.parse(new String(b, StandardCharsets.UTF_8)));
    }

    @Override
    public void clearRequest() {
        registry.writeRolloutFile(name, ABORT, null, "rollout " + name + ": request handled", actor.apply(Instant.now()));
    }

    @Override
    public String describe() {
        return "refs/modelgate/rollouts/" + name + " in " + registry.location();
    }
}
