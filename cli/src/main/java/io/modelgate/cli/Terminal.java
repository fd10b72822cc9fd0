package io.modelgate.cli;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Where a command's text output goes: every line is redacted (URL passwords, token-like parameters, the values
 * of secret variables) and escaped for the terminal, so a model name, a reason, a path or a column name cannot
 * move the cursor, clear the screen or start a line that looks like another message. Each text printer writes
 * through one of these; JSON documents, escaped by their writer already, go to {@link #raw()}.
 */
final class Terminal {
    private final PrintWriter writer;
    private final Redactor redactor;

    private Terminal(PrintWriter writer, Redactor redactor) {
        this.writer = writer;
        this.redactor = redactor;
    }

    /** Standard output of the command of {@code spec}. */
    static Terminal out(CommandLine.Model.CommandSpec spec) {
        return new Terminal(spec.commandLine().getOut(), Redactor.of(Main.invocation(spec).env()));
    }

    /** Standard error of the command of {@code spec}. */
    static Terminal err(CommandLine.Model.CommandSpec spec) {
        return new Terminal(spec.commandLine().getErr(), Redactor.of(Main.invocation(spec).env()));
    }

    /** A terminal on {@code writer} that redacts URLs only (no environment at hand). */
    static Terminal of(PrintWriter writer) {
        return new Terminal(writer, Redactor.urls());
    }

    /** A terminal on {@code writer} with {@code redactor} (a build's own secret variables). */
    static Terminal of(PrintWriter writer, Redactor redactor) {
        return new Terminal(writer, redactor);
    }

    /** One line: a line break inside {@code text} is shown as {@code \n}, never started. */
    void line(String text) {
        writer.println(Sanitizer.terminal(redactor.redact(text)));
    }

    /** One line from a format (no {@code %n}: the line ends here), formatted in the root locale. */
    void line(String format, Object... args) {
        line(String.format(Locale.ROOT, format, args));
    }

    /** An empty line. */
    void line() {
        writer.println();
    }

    /** The writer itself, for JSON documents. */
    PrintWriter raw() {
        return writer;
    }

    void flush() {
        writer.flush();
    }
}
