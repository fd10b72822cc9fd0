package io.modelgate.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.modelgate.common.ModelgateException;
import io.modelgate.common.RecordJson;
import io.modelgate.step.StepCatalog;
import io.modelgate.step.StepContext;
import io.modelgate.step.StepLog;
import io.modelgate.step.StepOutcome;
import io.modelgate.step.StepOutcomes;
import io.modelgate.step.StepParam;
import io.modelgate.step.StepPlan;
import io.modelgate.step.Steps;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a pipeline step for a Jenkins face: the parameters come as a JSON file (so no value ever
 * passes through a shell), the outcome goes to a JSON file the face applies to the build.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Run a Jenkins pipeline step from its named parameters.",
                "The steps are validateModel, recordLineage, registerModel, promoteModel, rollbackModel, "
                        + "canaryRollout and checkDrift; writes how Jenkins should show the outcome. Used by the "
                        + "shared library in pipeline-steps/; see docs/jenkins.md."})
final class RunStepCommand extends CliCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "STEP", description = "The step's name.")
    String step;

    @Option(names = "--params", paramLabel = "FILE", description = "The step's named parameters, a JSON object.")
    Path params;

    @Option(names = "--result", paramLabel = "FILE", description = "Where to write the outcome (JSON, docs/jenkins.md).")
    Path result;

    @Option(names = "--describe", description = "Print every step and its parameters as JSON, and exit.")
    boolean describe;

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
        // The invocation's environment and directory, as every other command uses (in-process callers give their own).
        Invocation here = Main.invocation(spec);
        Map<String, String> env = here.env();
        StepPlan plan;
        try {
            plan = Steps.plan(step, readParams(params), env);
        } catch (ModelgateException e) {
            // The face reads the outcome file in every case; a bad parameter is a failed step like any other.
            if (result != null) {
                write(result, RecordJson.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(StepOutcomes.invalid(step, e.getMessage(), env)));
            }
            throw e;
        }
        StepOutcome outcome = Steps.run(plan, new StepContext(here.workspace(), StepLog.to(out, spec.commandLine().getErr())));
        if (result != null) {
            write(result, RecordJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(outcome));
        }
        return outcome.exitCode();
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
        // Through the one reader of user files: a FIFO, a directory or a huge file is refused, not waited on.
        String json = io.modelgate.common.InputFiles.text(file, BadParams::new);
        try {
            return RecordJson.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        } catch (IOException e) {
            throw new BadParams(file + ": not a JSON object of step parameters: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A parameters file that cannot be read: bad input, like a bad parameter. */
    private static final class BadParams extends ModelgateException {
        private static final long serialVersionUID = 1L;

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
}
