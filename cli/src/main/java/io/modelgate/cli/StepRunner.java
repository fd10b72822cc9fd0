package io.modelgate.cli;

import io.modelgate.common.ModelgateException;
import io.modelgate.common.Redactor;
import io.modelgate.step.StepCatalog;
import io.modelgate.step.StepCommand;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.StepOutcomes;
import io.modelgate.step.StepPlan;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a pipeline step's commands in this JVM, in a given working directory with a given
 * environment, and decides its {@link StepOutcome}. {@code modelgate step} runs it in the process's
 * own directory; the Jenkins plugin runs it on the agent, in the build's workspace with the build's
 * environment. Both faces get the same commands, checks and outcome.
 */
public final class StepRunner {
    private StepRunner() {
    }

    /**
     * Checks a step's parameters, runs its commands and decides its outcome; never throws for a
     * step that failed or could not run (bad parameters give {@link StepOutcomes#invalid}).
     *
     * @param step    the step's name, e.g. {@code validateModel}
     * @param params  its named parameters, as a Jenkinsfile gives them
     * @param workDir the folder relative paths are read against (the workspace)
     * @param env     the build's environment ({@code MODELGATE_*}, {@code BUILD_URL}, credentials)
     * @param log     where the commands and their progress are written (the build log)
     */
    public static StepOutcome run(String step, Map<String, ?> params, Path workDir, Map<String, String> env, PrintWriter log) {
        StepPlan plan;
        try {
            plan = StepCatalog.plan(step, params, env);
        } catch (ModelgateException e) {
            StepOutcome invalid = StepOutcomes.invalid(step, e.getMessage(), env);
            Terminal.of(log, Redactor.of(env)).line("Modelgate " + step + ": " + invalid.result() + ": " + invalid.message());
            log.flush();
            return invalid;
        }
        return run(plan, workDir, env, log, log);
    }

    /** Runs a checked plan: {@code out} gets the commands and the summary, {@code err} their progress and errors. */
    public static StepOutcome run(StepPlan plan, Path workDir, Map<String, String> env, PrintWriter out, PrintWriter err) {
        Path dir = workDir.toAbsolutePath().normalize();
        // In the process's own directory, paths stay as typed (messages name them so); elsewhere they resolve against dir.
        Path other = dir.equals(Path.of("").toAbsolutePath().normalize()) ? null : dir;
        return runHere(plan, dir, Invocation.of(other, env), env, out, err);
    }

    private static StepOutcome runHere(StepPlan plan, Path workDir, Invocation invocation, Map<String, String> env,
                                       PrintWriter out, PrintWriter err) {
        int mainCode = Main.INTERNAL;
        String mainOut = "";
        String errorLine = "";
        List<String> notes = new ArrayList<>();
        // The one redactor, with the build's secret variables: the command echo and every line the commands
        // print on their way to the build log (a --registry URL with a password, an OpenLineage key).
        Redactor redactor = Redactor.of(env);
        Terminal log = Terminal.of(out, redactor);
        Terminal errLog = Terminal.of(err, redactor);
        for (StepCommand c : plan.commands()) {
            log.line("+ " + c.display(redactor));
            out.flush();
            StringWriter captured = new StringWriter();
            ErrorTee tee = new ErrorTee(err, redactor);
            PrintWriter errors = new PrintWriter(tee, true);
            int code = Main.run(new PrintWriter(captured, true), errors, invocation, c.argv().toArray(String[]::new));
            errors.flush();
            tee.close(); // its last line, if the command did not end it
            switch (c.role()) {
                case PREPARE -> {
                    if (code != Main.OK) {
                        mainCode = code;
                        errorLine = tee.lastError();
                    }
                }
                case MAIN -> {
                    mainCode = code;
                    mainOut = captured.toString();
                    errorLine = tee.lastError();
                }
                case PAGE -> {
                    if (code != Main.OK) {
                        notes.add("could not write the page of '" + c.display(redactor) + "': " + tee.lastError());
                    }
                }
            }
            if (c.role() == StepCommand.Role.PREPARE && code != Main.OK) {
                break;
            }
            if (c.role() == StepCommand.Role.MAIN && code != Main.OK && code != Main.FAILED && code != CanaryCommand.PAUSED) {
                break;
            }
        }
        StepOutcome outcome = StepOutcomes.decide(plan, mainCode, mainOut, errorLine, notes, workDir, env);
        outcome.notes().forEach(n -> errLog.line("modelgate: note: " + n));
        err.flush();
        // The report of a failed or doubtful result (the verdict's table) goes into the log; a step that could not
        // run has printed its one error line already.
        if (!outcome.result().equals("SUCCESS") && !outcome.value().isEmpty() && !outcome.check().text().isBlank()) {
            outcome.check().text().strip().lines().forEach(log::line); // a table of many lines, each escaped
        }
        log.line("Modelgate " + plan.step() + ": " + outcome.result() + ": " + outcome.message());
        out.flush();
        return outcome;
    }

    /**
     * Passes a command's standard error through line by line as it comes (progress lines), each line
     * redacted (a URL cut in two between writes could not be), and keeps its last error line.
     */
    private static final class ErrorTee extends Writer {
        private final PrintWriter target;
        private final Redactor redactor;
        private final StringBuilder line = new StringBuilder();
        private String lastError = "";

        ErrorTee(PrintWriter target, Redactor redactor) {
            this.target = target;
            this.redactor = redactor;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    String l = redactor.redact(line.toString());
                    target.write(l);
                    target.write('\n');
                    if (l.startsWith("modelgate: ") && !l.startsWith("modelgate: note:")) {
                        lastError = l.substring("modelgate: ".length());
                    }
                    line.setLength(0);
                } else {
                    line.append(buf[i]);
                }
            }
        }

        String lastError() {
            return lastError;
        }

        @Override
        public void flush() {
            // A line without its end yet stays here until it ends: only whole lines can be redacted.
            target.flush();
        }

        @Override
        public void close() {
            if (!line.isEmpty()) {
                target.write(redactor.redact(line.toString()));
                line.setLength(0);
            }
            target.flush();
        }
    }
}
