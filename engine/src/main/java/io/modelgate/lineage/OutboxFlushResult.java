package io.modelgate.lineage;

import java.util.Optional;

/**
 * What one {@link Outbox#flush} did.
 *
 * @param sent       events delivered and removed from the outbox
 * @param pending    events still in the outbox
 * @param firstError the failure that stopped the flush, if any
 */
public record OutboxFlushResult(int sent, int pending, Optional<LineageException> firstError) {
}
