package io.modelgate.registry;

import java.util.List;

/**
 * The result of {@code registry verify}.
 *
 * @param models   how many models were checked
 * @param events   how many events were replayed
 * @param problems one sentence per problem found; empty when the registry is consistent
 * @param locks    lock files left in the repository by a writer that was killed (paths in it); the
 *                 next write removes each once it is stale, so they are reported, not problems
 */
public record VerifyReport(int models, long events, List<String> problems, List<String> locks) {
    public VerifyReport {
        problems = List.copyOf(problems);
        locks = List.copyOf(locks);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
