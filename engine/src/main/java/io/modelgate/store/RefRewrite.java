package io.modelgate.store;

/**
 * A ref a remote moved to a commit that does not descend from the one the cache held: its history
 * was rewritten or moved back there.
 *
 * @param ref  the ref, e.g. {@code refs/modelgate/models/churn}
 * @param from the commit the cache held
 * @param to   the commit the remote holds
 */
public record RefRewrite(String ref, String from, String to) {
}
