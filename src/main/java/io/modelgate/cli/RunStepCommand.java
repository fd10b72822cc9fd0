package io.modelgate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelgate.common.ModelgateException;
import io.modelgate.common.RecordJson;
import io.modelgate.step.StepCatalog;
import io.modelgate.step.StepCommand;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.StepOutcomes;
import io.modelgate.step.StepParam;
import io.modelgate.step.StepPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs a pipeline step for a Jenkins face: the parameters come as a JSON file (so no value ever
 * passes through a shell), the outcome goes to a JSON file the face applies to the build.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Run a Jenkins pipeline step (validateModel, recordLineage, registerModel, promoteModel,",
                "rollbackModel, canaryRollout) from its named parameters, and write how Jenkins should show",
                "the outcome. Used by the shared library in pipeline-steps/; see docs/jenkins.md."})
final class RunStepCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STEP", description = "The step's name.")
    String step;

    @Option(names = "--params", paramLabel = "FILE", description = "The step's named parameters, a JSON object.")
    Path params;

    @Option(names = "--result", paramLabel = "FILE", description = "Where to write the outcome (JSON, docs/jenkins.md).")
    Path result;

    @Option(names = "--describe", description = "Print every step and its parameters as JSON, and exit.")
    boolean describe;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (describe) {
            out.println(RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(describeSteps()));
            out.flush();
            return Main.OK;
        }
        if (step == null || params == null) {
            throw new UsageException("give STEP and --params FILE (or --describe)");
        }
        Map<String, String> env = System.getenv();
        StepPlan plan;
        try {
            plan = StepCatalog.plan(step, readParams(params), env);
        } catch (ModelgateException e) {
            // The face reads the outcome file in every case; a bad parameter is a failed step like any other.
            if (result != null) {
                write(result, RecordJson.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(StepOutcomes.invalid(step, e.getMessage())));
            }
            throw e;
        }
        PrintWriter err = spec.commandLine().getErr();
        int mainCode = Main.INTERNAL;
        String mainOut = "";
        String errorLine = "";
        List<String> notes = new ArrayList<>();
        for (StepCommand c : plan.commands()) {
            out.println("+ " + c.display());
            out.flush();
            StringWriter captured = new StringWriter();
            ErrorTee tee = new ErrorTee(err);
            int code = Main.run(new PrintWriter(captured, true), new PrintWriter(tee, true), c.argv().toArray(String[]::new));
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
                        notes.add("could not write the page of `" + c.display() + "`: " + tee.lastError());
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
        StepOutcome outcome = StepOutcomes.decide(plan, mainCode, mainOut, errorLine, notes, Path.of("").toAbsolutePath(), env);
        if (result != null) {
            write(result, RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(outcome));
        }
        notes.forEach(n -> err.println("modelgate: note: " + n));
        if (!outcome.result().equals("SUCCESS") && !outcome.check().text().isBlank()) {
            out.println(outcome.check().text().strip());
        }
        out.println("Modelgate " + plan.step() + ": " + outcome.result() + ": " + outcome.message());
        out.flush();
        err.flush();
        return mainCode;
    }

    private static List<Map<String, Object>> describeSteps() {
        List<Map<String, Object>> steps = new ArrayList<>();
        StepCatalog.steps().forEach(d -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", d.name());
            s.put("description", d.description());
            s.put("check", d.defaultCheckName());
            List<Map<String, Object>> ps = new ArrayList<>();
            for (StepParam p : d.params()) {
                ps.add(Map.of("name", p.name(), "kind", p.kind().name().toLowerCase(java.util.Locale.ROOT),
                        "required", p.required(), "help", p.help()));
            }
            s.put("params", ps);
            steps.add(s);
        });
        return steps;
    }

    private static Map<String, Object> readParams(Path file) {
        try {
            return RecordJson.mapper().readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (NoSuchFileException e) {
            throw new BadParams(file + ": no such parameters file");
        } catch (IOException e) {
            throw new BadParams(file + ": not a JSON object of step parameters: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A parameters file that cannot be read: bad input, like a bad parameter. */
    private static final class BadParams extends ModelgateException {
        BadParams(String message) {
            super(Kind.BAD_INPUT, message);
        }
    }

    /** Written aside and moved into place, so the face never reads half an outcome. */
    private static void write(Path file, String json) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".outcome", ".tmp");
        Files.writeString(tmp, json + "\n");
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Passes a command's standard error through as it comes (progress lines) and keeps its last error line. */
    private static final class ErrorTee extends Writer {
        private final PrintWriter target;
        private final StringBuilder line = new StringBuilder();
        private String lastError = "";

        ErrorTee(PrintWriter target) {
            this.target = target;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            target.write(buf, off, len);
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    String l = line.toString();
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
            target.flush();
        }

        @Override
        public void close() {
            target.flush();
        }
    }
}
