package io.modelgate.step;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;

import java.util.List;

/**
 * One {@code modelgate} command line a step runs, without the program name.
 *
 * @param argv the arguments, each one word: never passed through a shell
 * @param role what the command is for in the step
 */
public record StepCommand(List<String> argv, Role role) {
    public StepCommand {
        argv = List.copyOf(argv);
    }

    /** Why a step runs a command. */
    public enum Role {
        /** Runs before the main command; a failure ends the step. */
        PREPARE,
        /** Its exit code and JSON output are the step's result. */
        MAIN,
        /** Writes a page for the build after the main command; a failure is reported, not fatal. */
        PAGE
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
