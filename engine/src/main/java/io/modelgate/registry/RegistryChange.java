package io.modelgate.registry;

import io.modelgate.common.PathChecks;
import io.modelgate.common.Workspace;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A change to the registry, as {@code modelgate registry register|promote|rollback|alias} and the
 * registerModel, promoteModel and rollbackModel steps ask for it. {@link #apply} checks what can be
 * checked without the registry, then who acts, before the registry is opened (or created): nothing is
 * written on bad input.
 */
public sealed interface RegistryChange {
    /** The model the change is about. */
    String model();

    /** Applies the change to an open registry. */
    Registry.Outcome applyTo(Registry registry, Actor actor);

    /** Checks what needs no registry (its paths resolved already). */
    default void check() {
    }

    /** The same change with its paths resolved against the workspace. */
    default RegistryChange in(Workspace ws) {
        return this;
    }

    /**
     * Checks the change and the actor, opens the registry {@code access} names, applies the change and
     * closes it.
     */
    default Registry.Outcome apply(Workspace ws, RegistryAccess access) {
        RegistryChange change = in(ws);
        change.check();
        access.actor(ws); // a bad --actor (or MODELGATE_ACTOR) is refused before anything is opened
        try (Registry r = access.open(ws)) {
            return change.applyTo(r, access.actor(ws));
        }
    }

    /** Registers {@code artifact} as a new version; its digest and size are computed here. */
    record Register(String model, Path artifact, String uri, String version, String bump, String description,
                    Map<String, String> tags) implements RegistryChange {
        /** The version from {@code --bump}, as picocli gives it when neither is given. */
        public static final String DEFAULT_BUMP = "patch";

        public Register {
            tags = Map.copyOf(tags);
        }

        @Override
        public void check() {
            PathChecks.checkArtifact("--artifact", artifact);
        }

        @Override
        public Registry.Outcome applyTo(Registry registry, Actor actor) {
            return registry.register(new Registry.Registration(model, artifact, uri, version, bump, description, tags),
                    actor);
        }

        @Override
        public Register in(Workspace ws) {
            return new Register(model, ws.resolve(artifact), uri, version, bump, description, tags);
        }
    }

    /** Moves a version into a stage if the stage's promotion rules allow it. */
    record Promote(String model, String version, String stage, Approver approver, String reason)
            implements RegistryChange {
        @Override
        public Registry.Outcome applyTo(Registry registry, Actor actor) {
            return registry.promote(model, version, stage, approver, reason, actor);
        }
    }

    /** Puts the previous holder of a stage (or {@code to}) back and marks the current one rejected. */
    record Rollback(String model, String stage, Optional<String> to, String reason) implements RegistryChange {
        public static final String DEFAULT_STAGE = "production";

        @Override
        public Registry.Outcome applyTo(Registry registry, Actor actor) {
            return registry.rollback(model, stage, to, reason, actor);
        }
    }

    /** Points an alias such as {@code champion} at a version. */
    record SetAlias(String model, String alias, String version) implements RegistryChange {
        @Override
        public Registry.Outcome applyTo(Registry registry, Actor actor) {
            return registry.setAlias(model, alias, version, actor);
        }
    }

    /** Removes an alias. */
    record RemoveAlias(String model, String alias) implements RegistryChange {
        @Override
        public Registry.Outcome applyTo(Registry registry, Actor actor) {
            return registry.removeAlias(model, alias, actor);
        }
    }
}
