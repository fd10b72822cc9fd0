package io.modelgate.rollout;

import java.util.Optional;

/**
 * Where a rollout's state and abort requests live: the registry's store when the plan names a model
 * (so every agent sharing the registry sees and can abort it), else a state file.
 */
public interface RolloutStore {
    Optional<RolloutState> load();

    void save(RolloutState state);

    /**
     * Saves {@code next} only when the stored state's revision is {@code expected} ({@code -1}: no
     * state yet), as one atomic step against every other writer, in any process; false when another
     * wrote first. What keeps a rollout to one runner.
     */
    boolean compareAndSave(long expected, RolloutState next);

    /**
     * An abort request: the run it is meant for ({@link RolloutState#runId()}; empty in a request
     * written before requests named their run) and why.
     */
    record AbortRequest(String runId, String reason) {
        /** As it is stored: the run id on the first line, the reason (one escaped line) on the second. */
        String text() {
            return runId + "\n" + abortReason(reason);
        }

        static AbortRequest parse(String text) {
            String t = text.strip();
            int nl = t.indexOf('\n');
            String why = nl < 0 ? t : t.substring(nl + 1).strip();
            return new AbortRequest(nl < 0 ? "" : t.substring(0, nl).strip(),
                    why.isEmpty() ? "aborted" : io.modelgate.common.Sanitizer.freeText(why));
        }
    }

    /** Asks the running rollout {@code runId}, in any process, to roll back at its next check. */
    void requestAbort(String runId, String reason);

    Optional<AbortRequest> abortRequested();

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
