package io.modelgate.registry;

import java.util.List;

/**
 * The result of {@code registry verify}.
 *
 * @param models   how many models were checked
 * @param events   how many events were replayed
 * @param problems one sentence per problem found; empty when the registry is consistent
 */
public record VerifyReport(int models, long events, List<String> problems) {
    public VerifyReport {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return problems.isEmpty();
    }
}
