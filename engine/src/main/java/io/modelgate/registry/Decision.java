package io.modelgate.registry;

import java.util.List;

/** What a requested change comes to: applied, refused by the rules, or nothing to do. */
public sealed interface Decision {
    /**
     * A change to apply atomically: the new state, the versions whose records change, and the event.
     */
    record Change(ModelState after, List<ModelVersion> versions, RegistryEvent event) implements Decision {
        public Change {
            versions = List.copyOf(versions);
        }
    }

    /** The promotion rules were not met; every unmet rule is listed. */
    record Refusal(String request, List<String> unmet) implements Decision {
        public Refusal {
            unmet = List.copyOf(unmet);
        }
    }

    /** The registry already is as asked (promoting a version to the stage it holds, say). */
    record Unchanged(String message) implements Decision {
    }
}
