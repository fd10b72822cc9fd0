package io.modelgate.lineage;

import io.modelgate.common.ModelgateVersion;
import io.modelgate.common.Workspace;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's OpenLineage events go, as {@code --openlineage-url}, {@code --openlineage-file} and
 * {@code --outbox} say: an HTTP endpoint ({@code $OPENLINEAGE_URL} when none is given, with
 * {@code $OPENLINEAGE_API_KEY} as its bearer token), or a file; events wait in the outbox until sent.
 *
 * @param url    an OpenLineage HTTP endpoint, or empty for {@code $OPENLINEAGE_URL}
 * @param file   a file to append events to, or empty
 * @param outbox the folder that keeps events until they are sent
 */
public record OpenLineageTarget(String url, String file, Path outbox) {
    public static final Path DEFAULT_OUTBOX = Path.of(".modelgate", "openlineage-outbox");

    /** The environment's endpoint, if any, with the default outbox. */
    public static OpenLineageTarget defaults() {
        return new OpenLineageTarget("", "", DEFAULT_OUTBOX);
    }

    /** An emitter for the target, or empty when none is configured (lineage is still stored in the registry). */
    public Optional<OpenLineageEmitter> emitter(Workspace ws) {
        String key = ws.env("OPENLINEAGE_API_KEY").orElse("");
        String to = url.isBlank() ? ws.env("OPENLINEAGE_URL").orElse("") : url;
        String toFile = file.isBlank() ? file : ws.path(file).toString();
        return OpenLineageTargets.emitter(to, key, toFile, ws.resolve(outbox), ModelgateVersion.current());
    }
}
