package io.modelgate.lineage;

import io.modelgate.common.ExitCodes;
import io.modelgate.common.InputException;
import io.modelgate.common.Workspace;
import io.modelgate.registry.Actor;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Records a run's lineage, as {@code modelgate lineage record} and the recordLineage step do: checks
 * every argument, digests the inputs and outputs, stores the record in the registry's repository,
 * links it to the model versions the run produced, and sends its OpenLineage events.
 */
public final class LineageRecording {
    private LineageRecording() {
    }

    /**
     * What to record; paths are resolved against the workspace.
     *
     * @param run         what the run says about itself (an empty job: {@code $JOB_NAME}, else the work tree's name)
     * @param startedAt   when the run started; empty for now
     * @param workTree    the Git work tree whose commit and lock files are recorded
     * @param requireEmit whether events that could not be sent fail the recording (exit 3)
     * @param openLineage where the events go
     * @param registry    the registry that holds the lineage (its actor is not used: the environment's acts)
     */
    public record Request(RunFacts run, boolean failed, Optional<Instant> startedAt, Path workTree, boolean requireEmit,
                          OpenLineageTarget openLineage, RegistryAccess registry) {
        public static final Path DEFAULT_WORK_TREE = Path.of(".");
    }

    /**
     * What was recorded and whether its events reached their target.
     *
     * @param emitted what the OpenLineage emitter did; empty when no target is configured
     */
    public record Result(LineageRecord record, Optional<OpenLineageEmitReport> emitted, boolean requireEmit) {
        /** The warning when events were not sent, e.g. {@code warning: OpenLineage events not sent}. */
        public Optional<String> warning() {
            return emitted.filter(e -> !e.delivered())
                    .map(e -> "warning: " + e.warning().orElse("OpenLineage events not sent"));
        }

        /** 0, or 3 when events were not sent and the request required them. */
        public int exitCode() {
            return warning().isPresent() && requireEmit ? ExitCodes.EXTERNAL : ExitCodes.OK;
        }
    }

    /** The digests of files already seen, by inode, modification time and size, kept in the workspace. */
    public static Path digestCache(Workspace ws) {
        return ws.path(".modelgate", "digest-cache.tsv");
    }

    /** The lineage store of the registry {@code access} names, created by its first record. */
    public static LineageStore open(Workspace ws, RegistryAccess access) {
        return LineageStore.open(access.where(ws), access.cache(ws), access.credentials(ws));
    }

    /** The lineage store, for work that only reads: "no registry at PATH" (exit 2) when there is none. */
    public static LineageStore openExisting(Workspace ws, RegistryAccess access) {
        return LineageStore.openExisting(access.where(ws), access.cache(ws), access.credentials(ws));
    }

    public static Result record(Request r, Workspace ws) {
        Instant now = Instant.now();
        // The arguments first, then the store: a bad one must fail before the registry is opened (or made) and
        // long before a record is stored; a bad OpenLineage URL is bad input, not a warning after the fact.
        if (r.run().inputs().isEmpty() && r.run().outputs().isEmpty()) {
            throw new InputException("nothing to record: give at least one --input or --output");
        }
        Path workTree = ws.resolve(r.workTree());
        if (!Files.isDirectory(workTree)) {
            throw new InputException("--work-tree " + workTree + ": not a directory");
        }
        // A start in the future is a mistake in the build script; a minute allows for agents' clocks.
        if (r.startedAt().isPresent() && r.startedAt().get().isAfter(now.plusSeconds(60))) {
            throw new InputException("--started-at " + r.startedAt().get() + " is in the future (now is " + now + ")");
        }
        // Who links the record to the models: checked before anything is digested or stored.
        Actor actor = r.run().models().isEmpty() ? null : Actor.fromEnvironment(ws.env(), "", Workspace.osUser(), now);
        Optional<OpenLineageEmitter> emitter = r.openLineage().emitter(ws);
        try {
            return record(r, ws, workTree, now, emitter, actor);
        } finally {
            emitter.ifPresent(OpenLineageEmitter::close);
        }
    }

    private static Result record(Request r, Workspace ws, Path workTree, Instant now, Optional<OpenLineageEmitter> emitter,
                                 Actor actor) {
        RegistryAccess access = r.registry().withActor("").withGtoTags(false);
        try (LineageStore lineage = open(ws, access)) {
            Registry registry = r.run().models().isEmpty() ? null : access.open(ws);
            try {
                if (registry != null) {
                    r.run().models().forEach(registry::resolve); // unknown model or version: exit 2 before anything is stored
                }
                DigestCache cache = DigestCache.load(digestCache(ws));
                LineageRecord record = new LineageRecorder(lineage, new DatasetDigester(cache)).record(
                        new LineageRecorder.Request(r.run().withPaths(ws::resolve), !r.failed(),
                                r.startedAt().orElse(now), workTree, ws.env()), now);
                if (registry != null) {
                    for (String m : r.run().models()) {
                        String[] nv = m.split("@", 2);
                        registry.linkLineage(nv[0], nv[1], record.id(), actor);
                    }
                }
                return new Result(record, emitter.map(e -> e.emit(record, lineage::find)), r.requireEmit());
            } finally {
                if (registry != null) {
                    registry.close();
                }
            }
        }
    }
}
