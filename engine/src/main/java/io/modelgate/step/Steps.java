package io.modelgate.step;

import io.modelgate.common.ExitCodes;
import io.modelgate.common.InputException;
import io.modelgate.common.ModelgateException;
import io.modelgate.common.ModelgateVersion;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the pipeline steps: checks a step's parameters ({@link StepCatalog}), does its work by calling the
 * engine's use-cases directly, and decides its {@link StepOutcome} ({@link StepOutcomes}). This is the one way
 * in for every face: {@code modelgate step} runs a step in the process's own directory, the Jenkins plugin on
 * the agent in the build's workspace with the build's environment. No face runs a command line or reads
 * another face's output: the work returns typed results, and the outcome is made from them.
 *
 * <p>Every line that reaches the build log passes through the one {@link Redactor} of the build's environment
 * (URL passwords, the values of secret variables) and is escaped for a terminal: a message quotes what the
 * user typed.
 */
public final class Steps {
    private Steps() {
    }

    /**
     * Checks a step's parameters and works out what it will do, before anything runs.
     *
     * @param env the agent's environment: {@code MODELGATE_REPORT_DIR} is the default report folder
     * @throws StepException (one line) for an unknown step or a bad parameter
     */
    public static StepPlan plan(String step, Map<String, ?> params, Map<String, String> env) {
        // Checked first: a library and an engine of different minor versions disagree on the steps themselves.
        var mismatch = LibraryCompatibility.problem(ModelgateVersion.current(), env.get(LibraryCompatibility.VARIABLE));
        if (mismatch.isPresent()) {
            throw new InputException(mismatch.get());
        }
        return StepCatalog.plan(step, params, env);
    }

    /**
     * Checks a step's parameters, does its work and decides its outcome; never throws for a step that failed
     * or could not run (bad parameters give {@link StepOutcomes#invalid}).
     *
     * @param step   the step's name, e.g. {@code validateModel}
     * @param params its named parameters, as a Jenkinsfile gives them
     */
    public static StepOutcome run(String step, Map<String, ?> params, StepContext context) {
        Map<String, String> env = context.env();
        StepPlan plan;
        try {
            plan = plan(step, params, env);
        } catch (ModelgateException e) {
            StepOutcome invalid = StepOutcomes.invalid(step, e.getMessage(), env);
            context.log().line(line(Redactor.of(env), "Modelgate " + step + ": " + invalid.result() + ": "
                    + invalid.message()));
            return invalid;
        }
        return run(plan, context);
    }

    /** Does a checked plan's work and decides its outcome. */
    public static StepOutcome run(StepPlan plan, StepContext context) {
        Map<String, String> env = context.env();
        // The one redactor, with the build's secret variables: the command echo and every progress line.
        Redactor redactor = Redactor.of(env);
        StepLog log = context.log();
        int mainCode = ExitCodes.INTERNAL;
        Map<String, Object> mainValue = Map.of();
        String errorLine = "";
        List<String> notes = new ArrayList<>();
        for (StepCommand c : plan.commands()) {
            log.line(line(redactor, "+ " + c.display(redactor)));
            StepCommand.Done done = perform(c, context, redactor);
            switch (c.role()) {
                case PREPARE -> {
                    if (done.exitCode() != ExitCodes.OK) {
                        mainCode = done.exitCode();
                        errorLine = done.error();
                    }
                }
                case MAIN -> {
                    mainCode = done.exitCode();
                    mainValue = done.value();
                    errorLine = done.error();
                }
                case PAGE -> {
                    if (done.exitCode() != ExitCodes.OK) {
                        notes.add("could not write the page of '" + c.display(redactor) + "': " + done.error());
                    }
                }
            }
            if (c.role() == StepCommand.Role.PREPARE && done.exitCode() != ExitCodes.OK) {
                break;
            }
            // A result (passed, failed, paused) goes on to its pages; work that could not run does not.
            if (c.role() == StepCommand.Role.MAIN && done.exitCode() != ExitCodes.OK
                    && done.exitCode() != ExitCodes.FAILED && done.exitCode() != ExitCodes.PAUSED) {
                break;
            }
        }
        StepOutcome outcome = StepOutcomes.decide(plan, mainCode, mainValue, errorLine, notes, context.workspace().dir(), env);
        outcome.notes().forEach(n -> log.progress(line(redactor, "modelgate: note: " + n)));
        // The report of a failed or doubtful result (the verdict's table) goes into the log; a step that could not
        // run has logged its one error line already.
        if (!outcome.result().equals("SUCCESS") && !outcome.value().isEmpty() && !outcome.check().text().isBlank()) {
            outcome.check().text().strip().lines().forEach(l -> log.line(line(redactor, l))); // each line escaped
        }
        log.line(line(redactor, "Modelgate " + plan.step() + ": " + outcome.result() + ": " + outcome.message()));
        return outcome;
    }

    /**
     * Does one piece of work; a user's mistake or a failed external system is its one error line (exit 2 or 3),
     * anything else a bug (exit 4) with its stack trace, as the command line reports them.
     */
    private static StepCommand.Done perform(StepCommand c, StepContext context, Redactor redactor) {
        StepLog log = context.log();
        try {
            StepCommand.Done done = c.work().run(context.workspace(), p -> log.progress(line(redactor, p)));
            if (done.error().isBlank()) {
                return done;
            }
            String error = line(redactor, done.error());
            log.progress("modelgate: " + error);
            return new StepCommand.Done(done.exitCode(), done.value(), error);
        } catch (ModelgateException e) {
            String error = line(redactor, e.getMessage());
            log.progress("modelgate: " + error);
            return new StepCommand.Done(ExitCodes.of(e), Map.of(), error);
        } catch (OutOfMemoryError e) {
            // Never exit 1: the contract reads 1 as "the gate failed" or "the data drifted".
            String m = "out of memory; give Java more with MODELGATE_JAVA_OPTS=-Xmx4g (now at most "
                    + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)";
            log.progress("modelgate: " + m);
            return new StepCommand.Done(ExitCodes.INTERNAL, Map.of(), m);
        } catch (RuntimeException e) {
            String m = "internal error, please report it with the output below";
            log.progress("modelgate: " + m);
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            redactor.redact(trace.toString().stripTrailing()).lines().forEach(log::progress);
            return new StepCommand.Done(ExitCodes.INTERNAL, Map.of(), m);
        }
    }

    /** One line for the build log: no secrets, no control characters. */
    private static String line(Redactor redactor, String text) {
        return Sanitizer.terminal(redactor.redact(text));
    }
}
