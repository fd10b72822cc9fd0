package io.modelgate.step;

import java.io.PrintWriter;

/**
 * Where a step's lines go: the build log. Every line given is one line already, redacted (URL
 * passwords, the values of the build's secret variables) and escaped for a terminal.
 */
public interface StepLog {
    /**
     * What ran and what came of it: the equivalent command line of each piece of work ({@code + modelgate
     * ...}), the report of a failed or doubtful result, and the closing summary. {@code modelgate step}
     * prints these on standard output.
     */
    void line(String line);

    /** Progress and errors of the work as it runs; {@code modelgate step} prints these on standard error. */
    void progress(String line);

    /** Both kinds of line to one writer (a build log), each flushed as it comes. */
    static StepLog to(PrintWriter log) {
        return to(log, log);
    }

    /** The lines of what ran to {@code out}, progress and errors to {@code err}, each flushed as it comes. */
    static StepLog to(PrintWriter out, PrintWriter err) {
        return new StepLog() {
            @Override
            public void line(String line) {
                out.println(line);
                out.flush();
            }

            @Override
            public void progress(String line) {
                err.println(line);
                err.flush();
            }
        };
    }
}
