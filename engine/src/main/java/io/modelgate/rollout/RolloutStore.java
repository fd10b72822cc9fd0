package io.modelgate.rollout;

import java.util.List;
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

    /** What a person asks of a rollout's runner. */
    enum Action {
        /** Roll back now. */
        ABORT,
        /** Skip the remaining steps and analyses and promote now (Argo's {@code promote --full}). */
        PROMOTE
    }

    /**
     * A request for a rollout's runner: the run it is meant for ({@link RolloutState#runId()}; empty in
     * a request written before requests named their run), what to do, and why.
     */
    record Request(String runId, Action action, String reason) {
        /** As it is stored: the run id, the action, the reason (one escaped line), a line each. */
        String text() {
            return runId + "\n" + action.name().toLowerCase(java.util.Locale.ROOT) + "\n" + abortReason(reason);
        }

        static Request parse(String text) {
            List<String> lines = text.strip().lines().map(String::strip).toList();
            if (lines.size() >= 3 && (lines.get(1).equals("abort") || lines.get(1).equals("promote"))) {
                return new Request(lines.get(0), Action.valueOf(lines.get(1).toUpperCase(java.util.Locale.ROOT)),
                        reasonOf(lines.get(2)));
            }
            // older requests: "RUN\nREASON", or a bare reason naming no run (which no run takes for its own)
            return lines.size() >= 2 ? new Request(lines.get(0), Action.ABORT, reasonOf(lines.get(1)))
                    : new Request("", Action.ABORT, reasonOf(lines.isEmpty() ? "" : lines.get(0)));
        }

        private static String reasonOf(String why) {
            return why.isEmpty() ? "aborted" : io.modelgate.common.Sanitizer.freeText(why);
        }
    }

    /** Asks the runner of run {@code runId}, in any process, to act at its next check. */
    void request(Request request);

    /** Asks the running rollout {@code runId}, in any process, to roll back at its next check. */
    default void requestAbort(String runId, String reason) {
        request(new Request(runId, Action.ABORT, reason));
    }

    /** The request waiting for the runner, if any. */
    Optional<Request> pending();

    /** Removes the waiting request (the runner took it, or it was for another run). */
    void clearRequest();

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
