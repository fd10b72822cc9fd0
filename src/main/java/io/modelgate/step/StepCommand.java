package io.modelgate.step;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Workspace;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One piece of work a step does, which calls the engine directly, and the {@code modelgate} command line
 * (without the program name) that does the same by hand: the build log shows it, so that a person can
 * reproduce the step in a terminal.
 *
 * @param argv the equivalent command's arguments, each one word: for the log and the outcome, never run
 * @param role what the work is for in the step
 * @param work the work itself
 */
public record StepCommand(List<String> argv, Role role, Work work) {
    public StepCommand {
        argv = List.copyOf(argv);
    }

    /** Why a step does a piece of work. */
    public enum Role {
        /** Runs before the main work; a failure ends the step. */
        PREPARE,
        /** Its exit code and JSON result are the step's result. */
        MAIN,
        /** Writes a page for the build after the main work; a failure is reported, not fatal. */
        PAGE
    }

    /** The work: runs in a workspace, tells its progress as it goes. */
    @FunctionalInterface
    public interface Work {
        /**
         * @throws io.modelgate.common.ModelgateException for bad input (exit code 2) or a failed external system (3)
         */
        Done run(Workspace ws, Consumer<String> progress);
    }

    /**
     * What a piece of work came to, as the equivalent command's exit code, JSON result and error line.
     *
     * @param exitCode 0 passed, 1 failed (a FAIL verdict, a refusal), 2 bad input, 3 external, 5 paused
     * @param value    the JSON result (the command's {@code --json} document); empty for none
     * @param error    the one-line error of a result that is an error too (a column without data), or empty
     */
    public record Done(int exitCode, Map<String, Object> value, String error) {
        public Done {
            value = value == null ? Map.of() : value;
        }
    }

    /**
     * The command as a person would type it, each word quoted for a POSIX shell where needed, with the
     * credentials of every URL in it hidden; for logs only.
     */
    public String display() {
        return display(Redactor.urls());
    }

    /**
     * As {@link #display()}, with every word passed through {@code redactor} first (a build's
     * {@link Redactor#of redactor} also hides the values of its secret variables), and control
     * characters escaped: the line goes into a build log.
     */
    public String display(Redactor redactor) {
        StringBuilder b = new StringBuilder("modelgate");
        for (String word : argv) {
            String w = Sanitizer.terminal(redactor.redact(word));
            b.append(' ').append(w.matches("[A-Za-z0-9_@%+=:,./-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
