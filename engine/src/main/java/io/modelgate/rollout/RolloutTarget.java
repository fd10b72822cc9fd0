package io.modelgate.rollout;

import io.modelgate.common.InputException;
import io.modelgate.common.Names;
import io.modelgate.common.Workspace;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryAccess;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which rollout a piece of work is about and where its state is, as {@code --plan}, {@code --name} and
 * {@code --state-dir} say: the registry's store when the plan names a model (every agent sharing it sees
 * the rollout), else a state file.
 *
 * @param plan     the rollout plan; its file name is the rollout's name unless {@code name} is given
 * @param name     the rollout's name; empty for the plan file's name
 * @param stateDir where state files are kept without a registry, against the workspace
 */
public record RolloutTarget(Optional<Path> plan, Optional<String> name, Path stateDir) {
    public static final Path DEFAULT_STATE_DIR = Path.of(".modelgate", "canary");

    /**
     * What an abort or a promotion by hand did.
     *
     * @param state  where the rollout's state is
     * @param reason the reason as recorded
     * @param here   true when this call acted itself (no runner held the rollout), false when it asked the
     *               live runner to
     * @param what   one sentence: who acts, or what was done
     */
    public record Acted(String state, String reason, boolean here, String what) {
    }

    /**
     * The rollout's name, which becomes a file in the state folder and a ref under
     * {@code refs/modelgate/rollouts/}: letters, digits, {@code . _ -} ({@link Names#segment}), so
     * {@code --name ../../tmp/x} is refused before anything is written.
     */
    public String checkedName() {
        if (name.isPresent()) {
            return Names.segment("--name", name.get());
        }
        String n = plan.map(p -> p.getFileName().toString().replaceFirst("\\.[^.]+$", "")).orElse("");
        if (n.isBlank()) {
            throw new InputException("give --name or --plan to say which rollout");
        }
        return Names.segment("the rollout name from the plan's file name (give --name)", n);
    }

    /** The rollout's store: in {@code registry} when one is open (the plan names a model), else a state file. */
    public RolloutStore store(Workspace ws, Registry registry, RegistryAccess access) {
        return registry == null ? new StateFile(ws.resolve(stateDir), checkedName())
                : new RegistryRolloutStore(registry, checkedName(), at -> access.actor(ws, at));
    }

    /**
     * Runs {@code work} on the rollout's store, with the registry open while it runs when the plan names a
     * model; the name is checked before a registry is opened.
     */
    public <T> T withStore(Workspace ws, RegistryAccess access, Function<RolloutStore, T> work) {
        checkedName();
        try (Registry reg = plan.isPresent() && !PlanReader.read(ws.resolve(plan.get())).model().isEmpty()
                ? access.open(ws) : null) {
            return work.apply(store(ws, reg, access));
        }
    }

    /**
     * Aborts the rollout. A running one is asked, by its run id, to roll back at its next check (its
     * runner polls every 100 ms); a paused or stalled one (no runner will act) is rolled back from here:
     * traffic to stable through the plan's router, the canary rejected in the registry, the state final.
     *
     * @throws InputException for no rollout, a finished one, or a paused or stalled one without a plan
     */
    public Acted abort(Workspace ws, RegistryAccess access, String reason) {
        return ask(ws, access, RolloutStore.Action.ABORT, reason);
    }

    /**
     * Promotes the rollout now, skipping its remaining steps and analyses (Argo's {@code promote --full}):
     * a running one is asked by its run id, a paused or stalled one is promoted from here (all traffic to
     * the canary, the promotion recorded in the registry). A person's decision, audited with its reason.
     *
     * @throws InputException for no rollout, a finished one, or a paused or stalled one without a plan
     */
    public Acted promoteFull(Workspace ws, RegistryAccess access, String reason) {
        return ask(ws, access, RolloutStore.Action.PROMOTE, reason);
    }

    private Acted ask(Workspace ws, RegistryAccess access, RolloutStore.Action action, String reason) {
        String verb = action == RolloutStore.Action.ABORT ? "abort" : "promote";
        checkedName();
        Optional<RolloutPlan> p = plan.map(f -> PlanReader.read(ws.resolve(f)));
        try (Registry reg = p.isPresent() && !p.get().model().isEmpty() ? access.open(ws) : null) {
            RolloutStore store = store(ws, reg, access);
            RolloutState s = store.load().orElseThrow(() -> new InputException("no rollout '" + checkedName() + "' at "
                    + store.describe() + ": nothing to " + verb));
            Instant now = Instant.now();
            if (s.phase().done()) {
                throw new InputException("rollout '" + checkedName() + "' is already " + s.condition(now)
                        + " (" + s.reason() + "): nothing to " + verb);
            }
            String why = RolloutStore.abortReason(reason);
            if (s.phase() == RolloutState.Phase.RUNNING && !s.stalled(now) && !Runner.current().sawDie(s.owner())) {
                store.request(new RolloutStore.Request(s.runId(), action, reason));
                return new Acted(store.describe(), why, false, "its runner" + (s.owner().isEmpty() ? "" : " (" + s.owner()
                        + ")") + (action == RolloutStore.Action.ABORT ? " rolls it back" : " promotes it")
                        + " within one interval");
            }
            RolloutPlan known = p.orElseThrow(() -> new InputException("rollout '" + checkedName() + "' is "
                    + s.condition(now) + ", so no runner will act on a request: give --plan, and the " + verb
                    + " moves the traffic itself"));
            RolloutOutcomes outcomes = reg == null ? RolloutOutcomes.NONE : new RegistryOutcomes(reg, at -> access.actor(ws, at));
            try (TrafficRouter router = Routers.fromOutside(known)) {
                Rollout here = Rollout.fromOutside(known, router, store, outcomes);
                RolloutState end = action == RolloutStore.Action.ABORT ? here.abortHere(reason) : here.promoteHere(reason);
                return new Acted(store.describe(), why, true, (action == RolloutStore.Action.ABORT ? "rolled back: "
                        : "promoted: ") + end.reason());
            }
        }
    }

    /** Where the rollout stands. */
    public RolloutState status(Workspace ws, RegistryAccess access) {
        return withStore(ws, access, store -> store.load()
                .orElseThrow(() -> new InputException("no rollout state at " + store.describe())));
    }
}
