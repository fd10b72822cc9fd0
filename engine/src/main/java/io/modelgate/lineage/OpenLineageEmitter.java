package io.modelgate.lineage;

import io.openlineage.client.OpenLineage.RunEvent;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Sends lineage records as OpenLineage events through an {@link Outbox}: a record's events are
 * stored first, then everything pending is sent in order. What cannot be sent now stays in the
 * outbox for the next emit or flush.
 */
public final class OpenLineageEmitter implements AutoCloseable {
    private final Outbox outbox;
    private final OpenLineageSender sender;
    private final String producer;

    /**
     * @param outbox   where events wait until delivered
     * @param sender   where they go; closed with the emitter
     * @param producer URI naming the producing software, e.g. {@link #producer(String)}
     */
    public OpenLineageEmitter(Outbox outbox, OpenLineageSender sender, String producer) {
        this.outbox = outbox;
        this.sender = sender;
        this.producer = producer;
    }

    /** The producer URI of a Modelgate version: {@code https://github.com/modelgate/modelgate/tree/v<version>}. */
    public static String producer(String version) {
        return "https://github.com/modelgate/modelgate/tree/v" + version.replaceAll("[^A-Za-z0-9._-]", "");
    }

    /**
     * Stores the record's START and COMPLETE/FAIL events, then sends everything pending.
     *
     * @throws LineageException (BAD_INPUT) when the record cannot be turned into events or the
     *                          outbox cannot be written; a failed send is reported, not thrown
     */
    public OpenLineageEmitReport emit(LineageRecord record, Function<String, Optional<LineageRecord>> parentLookup) {
        List<RunEvent> events = OpenLineageEvents.events(record, producer, parentLookup);
        outbox.enqueue(record, events);
        return flush();
    }

    /** Sends everything pending, oldest first, stopping at the first failure. */
    public OpenLineageEmitReport flush() {
        OutboxFlushResult result = outbox.flush(sender);
        Optional<String> warning = result.firstError().map(e -> "OpenLineage: " + result.pending()
                + " event(s) pending in " + outbox.directory() + " (" + e.getMessage()
                + "); they are sent by the next emit or 'modelgate lineage flush'");
        return new OpenLineageEmitReport(result.sent(), result.pending(), warning);
    }

    @Override
    public void close() {
        sender.close();
    }
}
