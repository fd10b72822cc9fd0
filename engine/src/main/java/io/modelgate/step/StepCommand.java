package io.modelgate.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Workspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
            error = error == null ? "" : error;
        }

        /** A result without an error line. */
        public static Done of(int exitCode, JsonNode document) {
            return of(exitCode, document, "");
        }

        /**
         * A result whose document is {@code document} (the command's {@code --json} tree), as plain Java values:
         * the shape and the number types a JSON reader gives for the printed document (an integer that fits an
         * {@code int} is an {@code Integer}, a fraction a {@code Double}), so the step returns what it returned
         * when it read the command's output.
         */
        public static Done of(int exitCode, JsonNode document, String error) {
            @SuppressWarnings("unchecked")
            Map<String, Object> value = document != null && document.isObject() ? (Map<String, Object>) plain(document) : Map.of();
            return new Done(exitCode, value, error);
        }

        private static Object plain(JsonNode n) {
            if (n.isObject()) {
                Map<String, Object> m = new LinkedHashMap<>();
                n.properties().forEach(e -> m.put(e.getKey(), plain(e.getValue())));
                return m;
            }
            if (n.isArray()) {
                List<Object> l = new ArrayList<>(n.size());
                n.forEach(x -> l.add(plain(x)));
                return l;
            }
            if (n.isIntegralNumber()) {
                return n.canConvertToInt() ? (Object) n.intValue() : n.canConvertToLong() ? (Object) n.longValue() : n.bigIntegerValue();
            }
            if (n.isNumber()) {
                return n.doubleValue();
            }
            if (n.isBoolean()) {
                return n.booleanValue();
            }
            if (n.isNull() || n.isMissingNode()) {
                return null;
            }
            return n.asText();
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
