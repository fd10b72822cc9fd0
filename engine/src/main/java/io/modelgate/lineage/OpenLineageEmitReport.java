package io.modelgate.lineage;

import java.util.Optional;

/**
 * The outcome of sending lineage as OpenLineage events. The command line prints the warning and
 * exits 0, or exits 3 with it when {@code --require-emit} is set.
 *
 * @param sent    events delivered by this call
 * @param pending events still waiting in the outbox (delivered by a later emit or {@code lineage flush})
 * @param warning why events are pending, one line without credentials; empty when none are
 */
public record OpenLineageEmitReport(int sent, int pending, Optional<String> warning) {
    /** Whether everything was delivered: nothing pending. */
    public boolean delivered() {
        return pending == 0;
    }
}
