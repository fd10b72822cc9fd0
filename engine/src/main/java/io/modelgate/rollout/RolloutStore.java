package io.modelgate.rollout;

import java.util.Optional;

/**
 * Where a rollout's state and abort requests live: the registry's store when the plan names a model
 * (so every agent sharing the registry sees and can abort it), else a state file.
 */
public interface RolloutStore {
    Optional<RolloutState> load();

    void save(RolloutState state);

    /** Asks a running rollout, in any process, to roll back at its next check. */
    void requestAbort(String reason);

    Optional<String> abortRequested();

    void clearAbort();

    /** Where it is, for messages. */
    String describe();

    /**
     * An abort's reason as it is stored, shown and written into the rollout's record: free text on one
     * escaped line (a line break cannot start another commit trailer), URL credentials hidden.
     */
    static String abortReason(String reason) {
        String why = reason == null ? "" : io.modelgate.common.Sanitizer.freeText(
                io.modelgate.common.Redactor.redactUrls(reason));
        return why.isBlank() ? "aborted" : why;
    }
}
