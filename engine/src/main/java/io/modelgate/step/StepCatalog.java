package io.modelgate.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
        v.opt("--baseline-model", a.string("baselineModel"));
        v.opt("--label-column", a.string("labelColumn")).opt("--score-column", a.string("scoreColumn"));
        a.list("sliceColumns").forEach(c -> v.add("--slice-column", c));
        v.opt("--task", a.string("task")).opt("--threshold", a.string("threshold"));
        v.opt("--register", a.string("register")).opt("--artifact", a.string("artifact"));
        v.opt("--fail-on", a.string("failOn"));
        registry(v, a).add("--report-dir", reportDir);
        return List.of(v.as(StepCommand.Role.MAIN));
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
        // The build page shows where the model came from: the trace of the model, else of the first output.
        Argv trace = new Argv("lineage", "trace");
        a.string("model").ifPresentOrElse(m -> trace.add("--model", m),
                () -> a.list("outputs").stream().findFirst().ifPresent(o -> trace.add("--artifact", o)));
        List<StepCommand> commands = new ArrayList<>(List.of(v.as(StepCommand.Role.MAIN)));
        if (trace.size() > 2) {
            trace.opt("--registry", a.string("registry")).add("--report-dir", reportDir);
            commands.add(trace.as(StepCommand.Role.PAGE));
        }
        return commands;
    }

    private static List<StepCommand> register(StepArguments a, String reportDir) {
        Argv v = new Argv("registry", "register", a.require("name"), "--json", "--artifact", a.require("artifact"));
        v.opt("--version", a.string("version")).opt("--bump", a.string("bump")).opt("--uri", a.string("uri"));
        v.opt("--description", a.string("description"));
        a.map("tags").forEach((k, val) -> v.add("--tag", k + "=" + val));
        return withHistoryPage(registry(v, a), a, reportDir);
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
        Argv v;
        if (a.has("stage")) {
            v = new Argv("registry", "promote", a.require("name"), a.require("version"), "--json", "--to", a.require("stage"));
            v.opt("--approver", a.string("approver")).opt("--reason", a.string("reason"));
        } else {
            v = new Argv("registry", "alias", "set", a.require("name"), a.require("alias"), a.require("version"), "--json");
        }
        return withHistoryPage(registry(v, a), a, reportDir);
    }

    private static List<StepCommand> rollback(StepArguments a, String reportDir) {
        Argv v = new Argv("registry", "rollback", a.require("name"), "--json", "--reason", a.require("reason"));
        v.opt("--stage", a.string("stage")).opt("--to", a.string("version"));
        return withHistoryPage(registry(v, a), a, reportDir);
    }

    /** A registry change, then the model's history page for the build (registry.html). */
    private static List<StepCommand> withHistoryPage(Argv change, StepArguments a, String reportDir) {
        Argv page = new Argv("registry", "history", a.require("name"), "--report-dir", reportDir);
        page.opt("--registry", a.string("registry")).opt("--config", a.string("config"));
        return List.of(change.as(StepCommand.Role.MAIN), page.as(StepCommand.Role.PAGE));
    }

    private static List<StepCommand> canary(StepArguments a, String reportDir) {
        List<StepCommand> commands = new ArrayList<>();
        if (a.flag("abort")) {
            Argv abort = new Argv("canary", "abort", "--plan", a.require("plan"), "--reason",
                    a.string("reason").orElse("the Jenkins build was aborted"));
            where(abort, a);
            commands.add(registry(abort, a).as(StepCommand.Role.PREPARE));
        }
        // Resuming a rollout that has an abort request rolls it back at its first check.
        Argv v = new Argv("canary", a.flag("abort") ? "resume" : "run", "--json", "--plan", a.require("plan"));
        where(v, a);
        registry(v, a).add("--report-dir", reportDir);
        commands.add(v.as(StepCommand.Role.MAIN));
        return commands;
    }

    private static List<StepCommand> drift(StepArguments a, String reportDir) {
        Argv v = new Argv("drift", "--json", "--reference", a.require("reference"), "--current", a.require("current"));
        v.opt("--policy", a.string("policy")).opt("--fail-on", a.string("failOn")).add("--report-dir", reportDir);
        return List.of(v.as(StepCommand.Role.MAIN));
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

        StepCommand as(StepCommand.Role role) {
            return new StepCommand(words, role);
        }
    }
}
