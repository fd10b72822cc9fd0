package io.modelgate.step;

import io.modelgate.common.ExitCodes;
import io.modelgate.common.PathChecks;
import io.modelgate.lineage.LineageDocuments;
import io.modelgate.lineage.LineageRecording;
import io.modelgate.lineage.RunFacts;
import io.modelgate.lineage.LineageTrace;
import io.modelgate.lineage.OpenLineageTarget;
import io.modelgate.registry.Approver;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryAccess;
import io.modelgate.registry.RegistryChange;
import io.modelgate.registry.RegistryDocuments;
import io.modelgate.report.LineageReport;
import io.modelgate.report.RegistryReport;
import io.modelgate.rollout.RolloutTarget;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.modelgate.step.StepParam.bool;
import static io.modelgate.step.StepParam.list;
import static io.modelgate.step.StepParam.map;
import static io.modelgate.step.StepParam.number;
import static io.modelgate.step.StepParam.required;
import static io.modelgate.step.StepParam.string;

/**
 * The pipeline steps and how each turns its named parameters into {@code modelgate} commands.
 *
 * <p>Both Jenkins faces (the shared library's {@code vars/} and the plugin) call the steps through
 * this one table, so a Jenkinsfile gets the same parameters, checks and commands from either.
 */
public final class StepCatalog {
    /** Where reports go when neither the step nor {@code MODELGATE_REPORT_DIR} says. */
    public static final String DEFAULT_REPORT_DIR = "modelgate-reports";

    private static final List<StepParam> REGISTRY = List.of(
            string("registry", "the registry: a directory or a Git URL (default: $MODELGATE_REGISTRY, modelgate.yaml, else .modelgate/registry)"),
            string("config", "configuration file with a registry: section (default: modelgate.yaml when present)"),
            string("actor", "who makes the change (default: $MODELGATE_ACTOR, $BUILD_USER_ID, else the agent's user)"),
            bool("gtoTags", "also write DVC GTO's Git tags"));
    private static final List<StepParam> PRESENTATION = List.of(
            string("reportDir", "where the reports go (default: $MODELGATE_REPORT_DIR, else modelgate-reports)"),
            string("checkName", "the name of the check published for this step"));

    private static final List<StepDefinition> STEPS = List.of(
            new StepDefinition("validateModel", "Judge a model against a policy's metric thresholds (the gate).",
                    with(List.of(
                            required("policy", "the policy file (docs/policy.md)"),
                            string("metrics", "the candidate's metrics file, JSON or CSV"),
                            string("predictions", "the candidate's predictions, CSV (gzip allowed); metrics are computed from it"),
                            string("baselineMetrics", "the production model's metrics file"),
                            string("baselinePredictions", "the production model's predictions"),
                            string("baselineModel", "a registered version (NAME@STAGE, NAME@ALIAS or NAME@VERSION) whose recorded metrics are the baseline"),
                            string("baselineScoreColumn", "the baseline's scores in another column of the candidate's predictions: changes are judged paired"),
                            string("idColumn", "join predictions and baselinePredictions on this column and judge changes paired"),
                            string("labelColumn", "the label column of the predictions (default: label)"),
                            string("scoreColumn", "the score column of the predictions (default: score)"),
                            list("sliceColumns", "columns to compute per-slice metrics for"),
                            string("task", "classification (default) or regression"),
                            number("threshold", "decision threshold for accuracy, precision, recall and F1 (default: 0.5)"),
                            string("register", "register the artifact as the next version of this model (NAME), or record the verdict on NAME@VERSION"),
                            string("artifact", "the model file or directory to register"),
                            string("failOn", "fail (default): only FAIL fails the build; warn: WARN fails it too")), REGISTRY, PRESENTATION),
                    "Modelgate: gate", StepCatalog::validate),
            new StepDefinition("recordLineage", "Record what went into a model: data digests, code, parameters, metrics, environment.",
                    with(List.of(
                            list("inputs", "files or directories the run read"),
                            list("outputs", "files or directories the run wrote"),
                            map("params", "the run's parameters, e.g. [lr: '0.1']"),
                            string("metrics", "a metrics file of the run, JSON or CSV"),
                            list("parents", "record ids of upstream runs"),
                            string("model", "the registered version the run produced, NAME@VERSION"),
                            string("job", "the job's name (default: $JOB_NAME)"),
                            string("namespace", "the job's namespace (default: the Jenkins instance)"),
                            string("startedAt", "when the run started, ISO-8601 (default: now)"),
                            bool("failed", "the run failed (OpenLineage FAIL)"),
                            string("openlineageUrl", "send OpenLineage events to this URL (default: $OPENLINEAGE_URL)"),
                            string("openlineageFile", "append OpenLineage events to this file"),
                            bool("requireEmit", "fail the step when the events cannot be sent"),
                            string("registry", "the registry holding the lineage (as for registerModel)"),
                            string("config", "configuration file with a registry: section")), PRESENTATION),
                    "Modelgate: lineage", StepCatalog::lineage),
            new StepDefinition("registerModel", "Register a model file or directory as a new version.",
                    with(List.of(
                            required("name", "the model's name"),
                            required("artifact", "the model file or directory"),
                            string("version", "the version, vX.Y.Z (default: the next one)"),
                            string("bump", "patch (default), minor or major"),
                            string("uri", "where the artifact is kept (default: its path)"),
                            string("description", "free text"),
                            map("tags", "free tags, e.g. [team: 'risk']")), REGISTRY, PRESENTATION),
                    "Modelgate: register", StepCatalog::register),
            new StepDefinition("promoteModel", "Promote a version to a stage (through the registry's rules) or point an alias at it.",
                    with(List.of(
                            required("name", "the model's name"),
                            required("version", "the version, vX.Y.Z"),
                            string("stage", "the stage to promote to (give this or alias)"),
                            string("alias", "the alias to point at the version (give this or stage)"),
                            string("approver", "who approved the promotion (set by the approval prompt when approvers is given)"),
                            string("approvers", "Jenkins users or groups who may approve, comma-separated: the step asks them first"),
                            string("approverGroups", "the approver's Jenkins groups, comma-separated (set by the plugin's "
                                    + "approval page from the authenticated user)"),
                            string("reason", "why")), REGISTRY, PRESENTATION),
                    "Modelgate: promote", StepCatalog::promote),
            new StepDefinition("rollbackModel", "Put the previous version of a stage back and mark the current one rejected.",
                    with(List.of(
                            required("name", "the model's name"),
                            required("reason", "why; recorded on the rejected version"),
                            string("stage", "the stage (default: production)"),
                            string("version", "the version to put back (default: the previous holder)")), REGISTRY, PRESENTATION),
                    "Modelgate: rollback", StepCatalog::rollback),
            new StepDefinition("canaryRollout", "Shift traffic to a new version step by step, judge it, and promote it or roll it back.",
                    with(List.of(
                            required("plan", "the rollout plan, YAML (docs/canary.md)"),
                            string("name", "the rollout's name (default: the plan file's name)"),
                            string("stateDir", "where rollout state is kept without a registry (default: .modelgate/canary)"),
                            bool("abort", "roll a running or paused rollout back now (the step does this itself when the build is aborted)"),
                            string("reason", "why, with abort")), REGISTRY, PRESENTATION),
                    "Modelgate: canary", StepCatalog::canary),
            new StepDefinition("checkDrift", "Compare a window of production data with the training data, column by column.",
                    with(List.of(
                            required("reference", "the reference (training) data, CSV (gzip allowed)"),
                            required("current", "the current window of production data, CSV (gzip allowed)"),
                            string("policy", "the drift policy (docs/drift.md); default: Evidently's defaults"),
                            string("failOn", "fail (default): only a drifted data set is a failure; warn: a drifted column too"),
                            bool("failOnDrift", "true (default): a drifted data set fails the build; false: it makes the build UNSTABLE and the step returns the result, so the pipeline can respond")),
                            PRESENTATION),
                    "Modelgate: drift", StepCatalog::drift));

    private StepCatalog() {
    }

    /** Every step, in the order of the docs. */
    public static List<StepDefinition> steps() {
        return STEPS;
    }

    public static Optional<StepDefinition> find(String name) {
        return STEPS.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Checks a step's parameters and works out its commands.
     *
     * @param env the agent's environment: {@code MODELGATE_REPORT_DIR} is the default report folder
     */
    public static StepPlan plan(String step, Map<String, ?> params, Map<String, String> env) {
        StepDefinition d = find(step).orElseThrow(() -> new StepException("unknown step '" + step + "'"
                + io.modelgate.common.Suggest.closest(step, STEPS.stream().map(StepDefinition::name).toArray(String[]::new))
                .map(s -> " (did you mean '" + s + "'?)").orElse("")
                + "; the steps are " + String.join(", ", STEPS.stream().map(StepDefinition::name).toList())));
        StepArguments args = StepArguments.check(d, params);
        String reportDir = args.string("reportDir").orElse(Optional.ofNullable(env.get("MODELGATE_REPORT_DIR"))
                .filter(s -> !s.isBlank()).orElse(DEFAULT_REPORT_DIR));
        return new StepPlan(step, d.commands().apply(args, reportDir), reportDir, args.string("checkName").orElse(d.defaultCheckName()),
                !args.has("failOnDrift") || args.flag("failOnDrift"));
    }

    @SafeVarargs
    private static List<StepParam> with(List<StepParam>... groups) {
        List<StepParam> all = new ArrayList<>();
        for (List<StepParam> g : groups) {
            all.addAll(g);
        }
        return all;
    }

    private static List<StepCommand> validate(StepArguments a, String reportDir) {
        if (a.has("metrics") == a.has("predictions")) {
            throw new StepException("validateModel: give exactly one of 'metrics' and 'predictions'");
        }
        Argv v = new Argv("validate", "--json");
        v.opt("--policy", a.string("policy"));
        v.opt("--metrics", a.string("metrics")).opt("--predictions", a.string("predictions"));
        v.opt("--baseline-metrics", a.string("baselineMetrics")).opt("--baseline-predictions", a.string("baselinePredictions"));
        v.opt("--baseline-model", a.string("baselineModel")).opt("--baseline-score-column", a.string("baselineScoreColumn"));
        v.opt("--id-column", a.string("idColumn"));
        v.opt("--label-column", a.string("labelColumn")).opt("--score-column", a.string("scoreColumn"));
        a.list("sliceColumns").forEach(c -> v.add("--slice-column", c));
        v.opt("--task", a.string("task")).opt("--threshold", a.string("threshold"));
        v.opt("--register", a.string("register")).opt("--artifact", a.string("artifact"));
        v.opt("--fail-on", a.string("failOn"));
        registry(v, a).add("--report-dir", reportDir);
        return List.of(v.as(StepCommand.Role.MAIN, (ws, progress) -> {
            Validation.Result r = Validation.run(validation(a, reportDir), ws);
            r.recordedLine().ifPresent(progress);
            return StepCommand.Done.of(r.exitCode(), r.document());
        }));
    }

    /** validateModel's parameters as the use-case takes them, with the command line's defaults and checks. */
    private static Validation.Request validation(StepArguments a, String reportDir) {
        List<String> given = List.of("baselineMetrics", "baselinePredictions", "baselineModel", "baselineScoreColumn").stream()
                .filter(a::has).toList();
        if (given.size() > 1) {
            // The command line's words for it (mutually exclusive options), so both faces say the same.
            throw new StepException("Error: " + given.stream().map(StepCatalog::baselineFlag).collect(Collectors.joining(", "))
                    + " are mutually exclusive (specify only one)");
        }
        if (a.has("idColumn") && !a.has("baselinePredictions")) {
            throw new StepException("--id-column joins two predictions files: it needs --baseline-predictions");
        }
        Validation.Source candidate = a.has("metrics") ? new Validation.MetricsFile(path("--metrics", a.require("metrics")))
                : new Validation.PredictionsFile(path("--predictions", a.require("predictions")));
        Validation.Baseline baseline = a.has("baselineMetrics")
                ? new Validation.MetricsFile(path("--baseline-metrics", a.require("baselineMetrics")))
                : a.has("baselinePredictions") && a.has("idColumn")
                ? new Validation.PairedPredictionsFile(path("--baseline-predictions", a.require("baselinePredictions")),
                a.require("idColumn"))
                : a.has("baselinePredictions")
                ? new Validation.PredictionsFile(path("--baseline-predictions", a.require("baselinePredictions")))
                : a.has("baselineScoreColumn") ? new Validation.BaselineScoreColumn(a.require("baselineScoreColumn"))
                : a.has("baselineModel") ? new Validation.RegisteredBaseline(a.require("baselineModel"))
                : new Validation.NoBaseline();
        List<String> slices = a.list("sliceColumns").stream().flatMap(c -> Arrays.stream(c.split(",", -1))).toList();
        Validation.Predictions predictions = new Validation.Predictions(
                a.string("labelColumn").orElse(Validation.Predictions.DEFAULT_LABEL),
                a.string("scoreColumn").orElse(Validation.Predictions.DEFAULT_SCORE), slices,
                a.string("task").orElse(Validation.Predictions.DEFAULT_TASK),
                a.string("threshold").map(Double::parseDouble).orElse(Validation.Predictions.DEFAULT_THRESHOLD));
        return new Validation.Request(path("--policy", a.require("policy")), candidate, baseline, predictions,
                a.string("register"), a.string("artifact").map(x -> path("--artifact", x)), access(a),
                Optional.of(path("--report-dir", reportDir)), failOnWarn(a));
    }

    private static String baselineFlag(String param) {
        return switch (param) {
            case "baselineMetrics" -> "--baseline-metrics=FILE";
            case "baselinePredictions" -> "--baseline-predictions=FILE";
            case "baselineScoreColumn" -> "--baseline-score-column=NAME";
            default -> "--baseline-model=NAME@STAGE";
        };
    }

    private static List<StepCommand> lineage(StepArguments a, String reportDir) {
        if (a.list("inputs").isEmpty() && a.list("outputs").isEmpty()) {
            throw new StepException("recordLineage: give 'inputs' or 'outputs' (or both): the files the run read and wrote");
        }
        Argv v = new Argv("lineage", "record", "--json");
        a.list("inputs").forEach(p -> v.add("--input", p));
        a.list("outputs").forEach(p -> v.add("--output", p));
        a.map("params").forEach((k, val) -> v.add("--param", k + "=" + val));
        v.opt("--metrics", a.string("metrics"));
        a.list("parents").forEach(p -> v.add("--parent", p));
        v.opt("--model", a.string("model")).opt("--job", a.string("job")).opt("--namespace", a.string("namespace"));
        v.opt("--started-at", a.string("startedAt"));
        if (a.flag("failed")) {
            v.add("--failed");
        }
        v.opt("--openlineage-url", a.string("openlineageUrl")).opt("--openlineage-file", a.string("openlineageFile"));
        if (a.flag("requireEmit")) {
            v.add("--require-emit");
        }
        v.opt("--registry", a.string("registry")).opt("--config", a.string("config"));
        List<StepCommand> commands = new ArrayList<>(List.of(v.as(StepCommand.Role.MAIN, (ws, progress) -> {
            RegistryAccess store = lineageStore(a).withConfig(configFile(a));
            LineageRecording.Result r = LineageRecording.record(recording(a, store), ws);
            return StepCommand.Done.of(r.exitCode(), new LineageDocuments().tree(r.record()), r.warning().orElse(""));
        })));
        // The build page shows where the model came from: the trace of the model, else of the first output.
        Argv trace = new Argv("lineage", "trace");
        a.string("model").ifPresentOrElse(m -> trace.add("--model", m),
                () -> a.list("outputs").stream().findFirst().ifPresent(o -> trace.add("--artifact", o)));
        if (trace.size() > 2) {
            trace.opt("--registry", a.string("registry")).add("--report-dir", reportDir);
            // Only --registry: the trace reads the store modelgate.yaml names otherwise, as the command does.
            commands.add(trace.as(StepCommand.Role.PAGE, (ws, progress) -> {
                RegistryAccess traced = lineageStore(a);
                Path dir = ws.resolve(path("--report-dir", reportDir));
                PathChecks.checkOutputDirectory("--report-dir", dir);
                LineageTrace t = a.string("model").isPresent() ? LineageTrace.ofModel(ws, traced, a.require("model"))
                        : LineageTrace.ofArtifact(ws, traced, path("--artifact", a.list("outputs").get(0)));
                LineageReport.write(t.graph(), t.title(), dir);
                return StepCommand.Done.of(ExitCodes.OK, null);
            }));
        }
        return commands;
    }

    private static RegistryAccess lineageStore(StepArguments a) {
        RegistryAccess access = RegistryAccess.defaults();
        return a.string("registry").map(access::withLocation).orElse(access);
    }

    /** recordLineage's parameters as the use-case takes them, with the command line's defaults and checks. */
    private static LineageRecording.Request recording(StepArguments a, RegistryAccess store) {
        Optional<Instant> startedAt = a.string("startedAt").map(s -> {
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                throw new StepException("Invalid value for option '--started-at': '" + s + "' is not an ISO-8601 time such as "
                        + "2026-01-31T12:00:00Z (" + e.getMessage() + ")");
            }
        });
        OpenLineageTarget target = new OpenLineageTarget(a.string("openlineageUrl").orElse(""),
                a.string("openlineageFile").orElse(""), OpenLineageTarget.DEFAULT_OUTBOX);
        return new LineageRecording.Request(new RunFacts(a.string("job").orElse(""), a.string("namespace").orElse(""),
                paths("--input", a.list("inputs")), paths("--output", a.list("outputs")), pairs(a.map("params")),
                a.string("metrics").map(m -> List.of(path("--metrics", m))).orElse(List.of()), a.list("parents"),
                a.string("model").map(List::of).orElse(List.of())), a.flag("failed"), startedAt,
                LineageRecording.Request.DEFAULT_WORK_TREE, a.flag("requireEmit"), target, store);
    }

    private static List<StepCommand> register(StepArguments a, String reportDir) {
        Argv v = new Argv("registry", "register", a.require("name"), "--json", "--artifact", a.require("artifact"));
        v.opt("--version", a.string("version")).opt("--bump", a.string("bump")).opt("--uri", a.string("uri"));
        v.opt("--description", a.string("description"));
        a.map("tags").forEach((k, val) -> v.add("--tag", k + "=" + val));
        return withHistoryPage(registry(v, a), () -> new RegistryChange.Register(a.require("name"),
                path("--artifact", a.require("artifact")), a.string("uri").orElse(""), a.string("version").orElse(""),
                a.string("bump").orElse(RegistryChange.Register.DEFAULT_BUMP), a.string("description").orElse(""),
                pairs(a.map("tags"))), a, reportDir);
    }

    private static List<StepCommand> promote(StepArguments a, String reportDir) {
        if (a.has("stage") == a.has("alias")) {
            throw new StepException("promoteModel: give exactly one of 'stage' and 'alias'");
        }
        if (a.has("approvers") && !a.has("approver")) {
            // A gate fails closed: a face that did not ask the approvers must not promote.
            throw new StepException("promoteModel: 'approvers' (" + a.require("approvers") + ") must approve first, and "
                    + "no 'approver' was given: the step's face asks them and passes who approved");
        }
        if ((a.has("approver") || a.has("approverGroups")) && !a.has("approvers")) {
            // The approver is who answered Jenkins' question, authenticated by Jenkins; a name written into a
            // Jenkinsfile is nobody's approval.
            throw new StepException("promoteModel: 'approver' is set by the approval prompt, not by the Jenkinsfile; "
                    + "give 'approvers' (who may approve) and Jenkins asks them");
        }
        Argv v;
        Supplier<RegistryChange> change;
        if (a.has("stage")) {
            v = new Argv("registry", "promote", a.require("name"), a.require("version"), "--json", "--to", a.require("stage"));
            v.opt("--approver", a.string("approver")).opt("--reason", a.string("reason"));
            List<String> groups = a.string("approverGroups").stream().flatMap(g -> Arrays.stream(g.split(",")))
                    .map(String::strip).filter(g -> !g.isEmpty()).toList();
            change = () -> new RegistryChange.Promote(a.require("name"), a.require("version"), a.require("stage"),
                    new Approver(a.string("approver").orElse(""), groups), a.string("reason").orElse(""));
        } else {
            v = new Argv("registry", "alias", "set", a.require("name"), a.require("alias"), a.require("version"), "--json");
            change = () -> new RegistryChange.SetAlias(a.require("name"), a.require("alias"), a.require("version"));
        }
        return withHistoryPage(registry(v, a), change, a, reportDir);
    }

    private static List<StepCommand> rollback(StepArguments a, String reportDir) {
        Argv v = new Argv("registry", "rollback", a.require("name"), "--json", "--reason", a.require("reason"));
        v.opt("--stage", a.string("stage")).opt("--to", a.string("version"));
        return withHistoryPage(registry(v, a), () -> new RegistryChange.Rollback(a.require("name"),
                a.string("stage").orElse(RegistryChange.Rollback.DEFAULT_STAGE), a.string("version"), a.require("reason")),
                a, reportDir);
    }

    /**
     * A registry change, then the model's history page for the build (registry.html). The change is made when the
     * work runs: a value the command line would refuse (a path it cannot name) fails the work, not the plan.
     */
    private static List<StepCommand> withHistoryPage(Argv command, Supplier<RegistryChange> change, StepArguments a,
                                                     String reportDir) {
        String model = a.require("name");
        Argv page = new Argv("registry", "history", model, "--report-dir", reportDir);
        page.opt("--registry", a.string("registry")).opt("--config", a.string("config"));
        StepCommand.Work history = (ws, progress) -> {
            Path dir = ws.resolve(path("--report-dir", reportDir));
            PathChecks.checkOutputDirectory("--report-dir", dir);
            // The page reads the registry the change was made in; who acts and GTO tags do not matter to a reader.
            try (Registry r = access(a).withActor("").withGtoTags(false).openExisting(ws)) {
                RegistryReport.writeHistory(r, model, r.history(model, 0), dir);
            }
            return StepCommand.Done.of(ExitCodes.OK, null);
        };
        return List.of(command.as(StepCommand.Role.MAIN, (ws, progress) -> {
            Registry.Outcome o = change.get().apply(ws, access(a));
            return StepCommand.Done.of(o.refused() ? ExitCodes.FAILED : ExitCodes.OK, new RegistryDocuments().outcomeDocument(o));
        }), page.as(StepCommand.Role.PAGE, history));
    }

    private static List<StepCommand> canary(StepArguments a, String reportDir) {
        List<StepCommand> commands = new ArrayList<>();
        Supplier<RolloutTarget> target = () -> new RolloutTarget(Optional.of(path("--plan", a.require("plan"))),
                a.string("name"), a.string("stateDir").map(d -> path("--state-dir", d)).orElse(RolloutTarget.DEFAULT_STATE_DIR));
        if (a.flag("abort")) {
            String reason = a.string("reason").orElse("the Jenkins build was aborted");
            Argv abort = new Argv("canary", "abort", "--plan", a.require("plan"), "--reason", reason);
            where(abort, a);
            commands.add(registry(abort, a).as(StepCommand.Role.PREPARE, (ws, progress) -> {
                target.get().abort(ws, access(a), reason);
                return StepCommand.Done.of(ExitCodes.OK, null);
            }));
        }
        // Resuming a rollout that has an abort request rolls it back at its first check.
        Argv v = new Argv("canary", a.flag("abort") ? "resume" : "run", "--json", "--plan", a.require("plan"));
        where(v, a);
        registry(v, a).add("--report-dir", reportDir);
        commands.add(v.as(StepCommand.Role.MAIN, (ws, progress) -> {
            RolloutTarget t = target.get();
            CanaryRun.Request request = new CanaryRun.Request(t.plan().orElseThrow(), t, access(a),
                    Optional.of(path("--report-dir", reportDir)), a.flag("abort"), "");
            CanaryRun.Result r = CanaryRun.run(request, ws, progress);
            return StepCommand.Done.of(r.exitCode(), r.document());
        }));
        return commands;
    }

    private static List<StepCommand> drift(StepArguments a, String reportDir) {
        Argv v = new Argv("drift", "--json", "--reference", a.require("reference"), "--current", a.require("current"));
        v.opt("--policy", a.string("policy")).opt("--fail-on", a.string("failOn")).add("--report-dir", reportDir);
        return List.of(v.as(StepCommand.Role.MAIN, (ws, progress) -> {
            DriftCheck.Request request = new DriftCheck.Request(path("--reference", a.require("reference")),
                    path("--current", a.require("current")), a.string("policy").map(p -> path("--policy", p)),
                    Optional.of(path("--report-dir", reportDir)), failOnWarn(a));
            DriftCheck.Result r = DriftCheck.run(request, ws);
            return StepCommand.Done.of(r.exitCode(), r.document(), r.error().orElse(""));
        }));
    }

    private static void where(Argv v, StepArguments a) {
        v.opt("--name", a.string("name")).opt("--state-dir", a.string("stateDir"));
    }

    private static Argv registry(Argv v, StepArguments a) {
        v.opt("--registry", a.string("registry")).opt("--config", a.string("config")).opt("--actor", a.string("actor"));
        if (a.flag("gtoTags")) {
            v.add("--gto-tags");
        }
        return v;
    }

    /** Which registry the step uses and who acts: its registry, config, actor and gtoTags parameters. */
    private static RegistryAccess access(StepArguments a) {
        return new RegistryAccess(a.string("registry"), configFile(a), a.string("actor").orElse(""), a.flag("gtoTags"));
    }

    private static Path configFile(StepArguments a) {
        return a.string("config").map(c -> path("--config", c)).orElse(RegistryAccess.DEFAULT_CONFIG);
    }

    /** failOn: fail (the default) or warn, in the command line's words when it is neither. */
    private static boolean failOnWarn(StepArguments a) {
        String level = a.string("failOn").orElse("fail");
        if (!level.equals("fail") && !level.equals("warn")) {
            throw new StepException("Invalid value for option '--fail-on': expected one of [fail, warn] (case-sensitive) but was '"
                    + level + "'");
        }
        return level.equals("warn");
    }

    /** A path parameter; one the platform cannot name (a NUL in it) is bad input, as on the command line. */
    private static Path path(String flag, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new StepException("Invalid value for option '" + flag + "': cannot convert '" + value + "' to Path (" + e + ")");
        }
    }

    private static List<Path> paths(String flag, List<String> values) {
        return values.stream().map(v -> path(flag, v)).toList();
    }

    /**
     * {@code KEY=VALUE} pairs as the command line reads {@code --param} and {@code --tag}: split at the first
     * {@code =}, so a key with {@code =} in it means the same from either face.
     */
    private static Map<String, String> pairs(Map<String, String> given) {
        Map<String, String> out = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            String kv = k + "=" + v;
            int eq = kv.indexOf('=');
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        });
        return out;
    }

    /** An argument list under construction; an option whose value was not given is left out. */
    private static final class Argv {
        private final List<String> words = new ArrayList<>();

        Argv(String... first) {
            words.addAll(List.of(first));
        }

        Argv add(String... more) {
            words.addAll(List.of(more));
            return this;
        }

        Argv opt(String flag, Optional<String> value) {
            value.ifPresent(v -> add(flag, v));
            return this;
        }

        int size() {
            return words.size();
        }

        StepCommand as(StepCommand.Role role, StepCommand.Work work) {
            return new StepCommand(words, role, work);
        }
    }
}
