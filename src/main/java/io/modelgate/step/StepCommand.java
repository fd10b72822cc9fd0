package io.modelgate.step;

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

    /** The command as a person would type it, each word quoted for a POSIX shell where needed; for logs only. */
    public String display() {
        StringBuilder b = new StringBuilder("modelgate");
        for (String w : argv) {
            b.append(' ').append(w.matches("[A-Za-z0-9_@%+=:,./-]+") ? w : "'" + w.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
