package io.modelgate.registry;

/**
 * One entry of a model's audit trail: the event and the commit that recorded it.
 *
 * @param commit the commit id
 * @param event  what happened, who did it, when and why
 */
public record AuditEntry(String commit, RegistryEvent event) {
}
