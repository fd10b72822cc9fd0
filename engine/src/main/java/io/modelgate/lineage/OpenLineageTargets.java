package io.modelgate.lineage;

import java.nio.file.Path;
import java.util.Optional;

/** Where OpenLineage events go: an HTTP endpoint or a newline-delimited JSON file. */
public final class OpenLineageTargets {
    private OpenLineageTargets() {
    }

    /**
     * An emitter for the configured target, or empty when none is configured (then nothing is
     * queued: lineage is still stored in the registry).
     *
     * @param url       an OpenLineage HTTP endpoint ({@code /api/v1/lineage} is appended when missing), or empty
     * @param apiKey    a bearer token for it, or empty
     * @param file      a file to append events to, or empty
     * @param outbox    the folder that keeps events until they are sent
     * @param version   Modelgate's version, for the producer URI
     */
    public static Optional<OpenLineageEmitter> emitter(String url, String apiKey, String file, Path outbox,
                                                       String version) {
        OpenLineageSender sender;
        if (!url.isBlank()) {
            sender = new OpenLineageHttpSender(url, apiKey);
        } else if (!file.isBlank()) {
            sender = new OpenLineageFileSender(Path.of(file));
        } else {
            return Optional.empty();
        }
        return Optional.of(new OpenLineageEmitter(new Outbox(outbox), sender,
                OpenLineageEmitter.producer(version)));
    }
}
