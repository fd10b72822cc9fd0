package io.modelgate.registry;

import io.modelgate.common.Workspace;
import io.modelgate.store.GitCredentials;
import io.modelgate.store.GitRemote;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Which registry a piece of work uses and who acts in it: what {@code --registry}, {@code --config},
 * {@code --actor} and {@code --gto-tags} say on the command line and the parameters of the same names
 * in a pipeline step. Lineage is stored in the same repository, so lineage work names its registry
 * with this too.
 *
 * @param location a directory or a Git URL; empty for {@code $MODELGATE_REGISTRY}, then
 *                 {@code registry.location} in the configuration, else {@value #DEFAULT_LOCATION}
 * @param config   the configuration file with a {@code registry:} section, read if present
 * @param actor    who makes changes; blank for {@code $MODELGATE_ACTOR}, {@code $BUILD_USER_ID}, else the OS user
 * @param gtoTags  also write DVC GTO's tags, as {@code registry.gto_tags: true} does
 */
public record RegistryAccess(Optional<String> location, Path config, String actor, boolean gtoTags) {
    public static final String DEFAULT_LOCATION = ".modelgate/registry";
    public static final Path DEFAULT_CONFIG = Path.of("modelgate.yaml");

    /** The defaults: the registry the environment or {@code modelgate.yaml} names, the actor of the environment. */
    public static RegistryAccess defaults() {
        return new RegistryAccess(Optional.empty(), DEFAULT_CONFIG, "", false);
    }

    public RegistryAccess withLocation(String location) {
        return new RegistryAccess(Optional.of(location), config, actor, gtoTags);
    }

    public RegistryAccess withConfig(Path config) {
        return new RegistryAccess(location, config, actor, gtoTags);
    }

    public RegistryAccess withActor(String actor) {
        return new RegistryAccess(location, config, actor, gtoTags);
    }

    public RegistryAccess withGtoTags(boolean gtoTags) {
        return new RegistryAccess(location, config, actor, gtoTags);
    }

    /** Where the registry is: a Git URL as it is, a directory against the workspace. */
    public String where(Workspace ws) {
        String l = location.orElseGet(() -> ws.env("MODELGATE_REGISTRY")
                .or(() -> RegistryConfigReader.location(ws.resolve(config))).orElse(DEFAULT_LOCATION));
        return ws.keepsRelativePaths() || GitRemote.isRemote(l) ? l : ws.resolve(Path.of(l)).toString();
    }

    /** The registry for work that changes it: created by its first change. */
    public Registry open(Workspace ws) {
        return Registry.open(where(ws), cache(ws), settings(ws), credentials(ws)).withHookEnvironment(ws.env());
    }

    /**
     * The registry for work that only reads: "no registry at PATH" (exit 2) when there is none, and
     * nothing is created, neither a registry nor a directory.
     */
    public Registry openExisting(Workspace ws) {
        return Registry.openExisting(where(ws), cache(ws), settings(ws), credentials(ws)).withHookEnvironment(ws.env());
    }

    /** Who acts, now: a bad {@code --actor} (or {@code MODELGATE_ACTOR}) is refused here. */
    public Actor actor(Workspace ws) {
        return actor(ws, Instant.now());
    }

    public Actor actor(Workspace ws, Instant at) {
        return Actor.fromEnvironment(ws.env(), actor, Workspace.osUser(), at);
    }

    /** The clones of remote registries, kept in the workspace. */
    public Path cache(Workspace ws) {
        return ws.path(".modelgate", "cache");
    }

    public Optional<GitCredentials> credentials(Workspace ws) {
        return GitCredentials.fromEnvironment(ws.env());
    }

    /** The registry's settings from the configuration file, if present, with {@code gtoTags} applied. */
    public RegistryConfig settings(Workspace ws) {
        RegistryConfig settings = RegistryConfigReader.read(ws.resolve(config));
        return gtoTags ? settings.withGtoTags(true) : settings;
    }
}
