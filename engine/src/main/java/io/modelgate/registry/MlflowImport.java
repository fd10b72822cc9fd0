package io.modelgate.registry;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.modelgate.common.Digests;
import io.modelgate.common.Field;
import io.modelgate.common.InputFiles;
import io.modelgate.common.ModelgateException;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Suggest;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds registry state from what an MLflow Model Registry answers to its search requests, saved
 * in a file: {@code GET /api/2.0/mlflow/registered-models/search} ({@code registered_models}) and
 * {@code GET /api/2.0/mlflow/model-versions/search} ({@code model_versions}), in one object or as a
 * list of such response pages. MLflow keeps no history (mlflow#2169), only current state, so the
 * import makes the registry hold that state: each version registered, then its tags and
 * description, the model's, the stages, the aliases, each an audited event of the registry.
 *
 * <p>As for {@link GtoImport}, stage assignments are imported as they are in MLflow, without
 * today's promotion rules (a version MLflow already serves is not held back by a verdict it never
 * needed there), and the import can run again: what is already so is unchanged, so a second import
 * of the same file writes nothing. MLflow version {@code N} is {@code v0.0.N}: MLflow numbers say
 * nothing about compatibility, and a version registered here afterwards with the default patch bump
 * continues MLflow's numbering. MLflow records no digest of the files; an imported version's
 * artifact is MLflow's {@code source} URI, digested as its MLflow identity (see {@link #identity}).
 */
public final class MlflowImport {
    /** MLflow's stages, as its API writes them. */
    static final List<String> STAGES = List.of("None", "Staging", "Production", "Archived");
    private static final Pattern NUMBER = Pattern.compile("[1-9][0-9]{0,18}");
    static final String FROM = "imported from MLflow: ";

    private MlflowImport() {
    }

    /**
     * What an import did.
     *
     * @param applied      events that changed the registry
     * @param imported     those events, one line each
     * @param unmapped     what has no counterpart in the registry and was left out, with the reason, one line each
     * @param hookProblems the hooks the imported events did not reach ({@link Registry.Outcome#hookProblems})
     */
    public record Report(int applied, List<String> imported, List<String> unmapped, List<String> hookProblems) {
        public Report {
            imported = List.copyOf(imported);
            unmapped = List.copyOf(unmapped);
            hookProblems = List.copyOf(hookProblems);
        }
    }

    /** A registered model as MLflow describes it; its versions are read separately. */
    record MlflowModel(String name, String description, Map<String, String> tags, Map<String, BigInteger> aliases) {
    }

    /**
     * A model version as MLflow describes it.
     *
     * @param created when it was created (epoch milliseconds), or -1 when not given
     */
    record MlflowVersion(String model, BigInteger number, String source, String runId, String stage,
                         String description, Map<String, String> tags, List<String> aliases, String status,
                         String statusMessage, String userId, long created) {
        String describe() {
            return "MLflow " + model + " version " + number;
        }

        String registryVersion() {
            return "v0.0." + number;
        }
    }

    /** Everything read from the file, before anything is imported. */
    record Export(Map<String, MlflowModel> models, Map<String, Map<BigInteger, MlflowVersion>> versions) {
    }

    // ------------------------------------------------------------------ reading

    /** Reads {@code file}; a file that is not JSON or not shaped as MLflow answers is one line naming the field. */
    static Export read(Path file) {
        String name = file.toString();
        String text = InputFiles.text(file, RegistryException::new).strip();
        if (text.isEmpty()) {
            throw new RegistryException(name + ": file is empty; expected MLflow's registered_models and/or "
                    + "model_versions search responses");
        }
        Field root = Field.root(name, parse(name, text), RegistryException::new);
        if (!root.isMapping() && !root.isList()) {
            throw root.error("expected an object with registered_models and/or model_versions (MLflow's search "
                    + "responses), or a list of them, found " + root.describe());
        }
        Map<String, MlflowModel> models = new TreeMap<>();
        Map<String, Map<BigInteger, MlflowVersion>> versions = new TreeMap<>();
        // Versions given in full (model_versions) win over the copies in a model's latest_versions.
        Map<String, Map<BigInteger, MlflowVersion>> latest = new TreeMap<>();
        for (Field page : root.isList() ? root.items() : List.of(root)) {
            page.mapping().allow("registered_models", "model_versions", "next_page_token");
            for (Field m : list(page.get("registered_models"))) {
                m.mapping();
                MlflowModel model = new MlflowModel(m.get("name").name(), m.get("description").text(""), tags(m.get("tags")),
                        modelAliases(m.get("aliases")));
                if (models.put(model.name(), model) != null) {
                    throw m.get("name").error("registered model '" + Sanitizer.freeText(model.name())
                            + "' is listed twice");
                }
                for (Field v : list(m.get("latest_versions"))) {
                    MlflowVersion version = version(v);
                    latest.computeIfAbsent(version.model(), k -> new TreeMap<>()).put(version.number(), version);
                }
            }
            for (Field v : list(page.get("model_versions"))) {
                MlflowVersion version = version(v);
                if (versions.computeIfAbsent(version.model(), k -> new TreeMap<>()).put(version.number(), version) != null) {
                    throw v.get("version").error(version.describe() + " is listed twice");
                }
            }
        }
        latest.forEach((model, byNumber) -> byNumber.forEach((n, v) ->
                versions.computeIfAbsent(model, k -> new TreeMap<>()).putIfAbsent(n, v)));
        return new Export(models, versions);
    }

    private static JsonNode parse(String name, String text) {
        JsonMapper mapper = JsonMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try (JsonParser parser = mapper.createParser(text)) {
            JsonNode root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new RegistryException(name + where(parser.currentTokenLocation())
                        + ": unexpected content after the JSON document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new RegistryException(name + where(e.getLocation()) + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
    }

    private static String where(JsonLocation loc) {
        return loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** A list, or nothing: MLflow leaves an empty list out of its answers. */
    private static List<Field> list(Field f) {
        if (f.isPresent() && !f.isList()) {
            throw f.error("must be a list, found " + f.describe());
        }
        return f.items();
    }

    private static MlflowVersion version(Field v) {
        v.mapping();
        Field numberField = v.get("version");
        String number = numberField.text("");
        if (!NUMBER.matcher(number).matches()) {
            throw numberField.error("must be MLflow's version number (1, 2, 3, ...), found " + numberField.describe());
        }
        List<String> aliases = new ArrayList<>();
        for (Field a : list(v.get("aliases"))) {
            aliases.add(a.name());
        }
        return new MlflowVersion(v.get("name").name(), new BigInteger(number), v.get("source").text(""),
                v.get("run_id").text(""), v.get("current_stage").text("None"), v.get("description").text(""),
                tags(v.get("tags")), aliases, v.get("status").text("READY"), v.get("status_message").text(""),
                v.get("user_id").text(""), millis(v.get("creation_timestamp")));
    }

    private static Map<String, String> tags(Field f) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Field t : list(f)) {
            t.mapping();
            tags.put(t.get("key").name(), t.get("value").text(""));
        }
        return tags;
    }

    private static Map<String, BigInteger> modelAliases(Field f) {
        Map<String, BigInteger> aliases = new LinkedHashMap<>();
        for (Field a : list(f)) {
            a.mapping();
            Field version = a.get("version");
            String n = version.text("");
            if (!NUMBER.matcher(n).matches()) {
                throw version.error("must be MLflow's version number (1, 2, 3, ...), found " + version.describe());
            }
            aliases.put(a.get("alias").name(), new BigInteger(n));
        }
        return aliases;
    }

    /** Epoch milliseconds; protobuf's JSON writes an int64 as a number or as a string of digits. */
    private static long millis(Field f) {
        if (f.isAbsent()) {
            return -1;
        }
        if (f.isNumber()) {
            return f.count(0, Long.MAX_VALUE / 2);
        }
        String text = f.text("");
        if (!text.matches("[0-9]{1,15}")) {
            throw f.error("must be a time in milliseconds since 1970, found " + f.describe());
        }
        return Long.parseLong(text);
    }

    // ------------------------------------------------------------------ importing

    /** What the outcomes of one import add up to. */
    private static final class Tally {
        int applied;
        final List<String> imported = new ArrayList<>();
        final List<String> unmapped = new ArrayList<>();
        final List<String> hookProblems = new ArrayList<>();

        /** Counts {@code o}; a refusal is a line of {@code unmapped}. True unless refused. */
        boolean add(Registry.Outcome o, String about) {
            hookProblems.addAll(o.hookProblems());
            if (o.applied()) {
                applied++;
                imported.add(((Decision.Change) o.decision()).event().describe() + about);
            } else if (o.decision() instanceof Decision.Refusal r) {
                unmapped.add(r.request() + about + ": refused: " + String.join("; ", r.unmet()));
                return false;
            }
            return true;
        }

        Report report() {
            return new Report(applied, imported, unmapped, hookProblems);
        }
    }

    /** A change the registry refuses as bad input (a name, a tag) is a line of the report; anything else stops the import. */
    private interface Step {
        Registry.Outcome run();
    }

    private static boolean attempt(Tally t, String what, String about, Step step) {
        try {
            return t.add(step.run(), about);
        } catch (ModelgateException e) {
            if (e.kind() != ModelgateException.Kind.BAD_INPUT) {
                throw e;
            }
            t.unmapped.add(what + ": not imported: " + e.getMessage());
            return false;
        }
    }

    static Report run(Registry registry, RegistryConfig config, Path file, Map<String, String> stageMap, Actor importer) {
        Map<String, String> stages = stages(config, stageMap);
        Export export = read(file);
        Tally t = new Tally();
        java.util.Set<String> names = new java.util.TreeSet<>(export.models().keySet());
        names.addAll(export.versions().keySet());
        for (String name : names) {
            importModel(registry, config, name, export.models().get(name),
                    export.versions().getOrDefault(name, Map.of()), stages, importer, t);
        }
        return t.report();
    }

    /**
     * MLflow stage to registry stage ({@code ""}: registered only): Staging, Production and Archived
     * to staging, production and the archive, overridden by {@code stageMap}, whose keys are MLflow's
     * stages (case ignored) and whose values registry stages or {@code None}. A mistake in the map is
     * refused before anything is imported.
     */
    static Map<String, String> stages(RegistryConfig config, Map<String, String> stageMap) {
        Map<String, String> stages = new LinkedHashMap<>();
        stages.put("None", "");
        stages.put("Staging", "staging");
        stages.put("Production", "production");
        stages.put("Archived", config.archive());
        stageMap.forEach((from, to) -> {
            String mlflow = STAGES.stream().filter(s -> s.equalsIgnoreCase(from.strip())).findFirst()
                    .orElseThrow(() -> new RegistryException("--stage " + Sanitizer.freeText(from) + "=" + Sanitizer.freeText(to)
                            + ": '" + Sanitizer.freeText(from) + "' is not an MLflow stage (" + String.join(", ", STAGES) + ")"
                            + Suggest.hint(from, STAGES)));
            String target = to.strip();
            if (target.isEmpty() || target.equalsIgnoreCase("None")) {
                stages.put(mlflow, "");
            } else if (config.isStage(target)) {
                stages.put(mlflow, target);
            } else {
                throw new RegistryException("--stage " + mlflow + "=" + Sanitizer.freeText(to) + ": '"
                        + Sanitizer.freeText(to) + "' is not a registry stage (" + String.join(", ", config.allStages())
                        + "), nor None for registered only" + Suggest.hint(target, config.allStages()));
            }
        });
        return stages;
    }

    private static void importModel(Registry registry, RegistryConfig config, String name, MlflowModel model,
                                    Map<BigInteger, MlflowVersion> versions, Map<String, String> stages, Actor importer,
                                    Tally t) {
        String what = "MLflow model '" + Sanitizer.freeText(name) + "'";
        try {
            RegistryInputs.model(name);
        } catch (ModelgateException e) {
            t.unmapped.add(what + ": not imported: " + e.getMessage());
            return;
        }
        if (registry.models().contains(name) && registry.state(name).deprecated()) {
            t.unmapped.add(what + ": not imported: " + name + " is deprecated in the registry");
            return;
        }
        // Version number to the registry's version, for the versions that are (or now are) in the registry.
        Map<BigInteger, String> present = new TreeMap<>();
        for (MlflowVersion v : versions.values()) {
            if (importVersion(registry, v, importer, t)) {
                present.put(v.number(), v.registryVersion());
            }
        }
        if (!registry.models().contains(name)) {
            if (model != null && (!model.description().isEmpty() || !model.tags().isEmpty() || !model.aliases().isEmpty())) {
                t.unmapped.add(what + ": no version could be imported, so neither are its description, tags and aliases");
            } else if (versions.isEmpty()) {
                t.unmapped.add(what + ": has no versions; nothing to import");
            }
            return;
        }
        if (model != null) {
            if (!model.description().isBlank()) {
                attempt(t, what + " description", "", () -> registry.describe(name, model.description(), importer));
            }
            setTags(registry, name, what, model.tags(), importer, t);
        }
        importStages(registry, config, name, versions, present, stages, importer, t);
        Map<String, BigInteger> aliases = new TreeMap<>();
        versions.values().forEach(v -> v.aliases().forEach(a -> aliases.put(a, v.number())));
        if (model != null) {
            aliases.putAll(model.aliases());
        }
        aliases.forEach((alias, n) -> {
            String about = "MLflow alias " + name + "@" + Sanitizer.freeText(alias);
            if (!present.containsKey(n)) {
                t.unmapped.add(about + ": not imported: MLflow version " + n + " is not in the registry");
            } else {
                attempt(t, about, "", () -> registry.setAlias(name, alias, present.get(n), importer));
            }
        });
    }

    /** Registers {@code v} unless it is there already; true when the registry holds it afterwards. */
    private static boolean importVersion(Registry registry, MlflowVersion v, Actor importer, Tally t) {
        String what = v.describe();
        if (!v.status().equals("READY")) {
            t.unmapped.add(what + ": not imported: its status is " + Sanitizer.freeText(v.status())
                    + (v.statusMessage().isBlank() ? "" : " (" + Sanitizer.freeText(Redactor.redactUrls(v.statusMessage())) + ")")
                    + "; only READY versions have an artifact");
            return false;
        }
        String ours = v.registryVersion();
        String about = " (" + what + ")";
        Artifact artifact = artifact(v);
        if (registry.versionExists(v.model(), ours)) {
            ModelVersion existing = registry.version(v.model(), ours);
            if (!existing.artifact().sha256().equals(artifact.sha256())) {
                t.unmapped.add(what + ": not imported: " + existing.ref() + " is registered already, with another "
                        + "artifact (" + existing.artifact().uri() + ")");
                return false;
            }
        } else if (!attempt(t, what, about, () -> registry.importVersion(v.model(), ours, artifact,
                FROM + v.model() + " version " + v.number(), creator(v, importer)))) {
            return false;
        }
        String ref = v.model() + "@" + ours;
        Map<String, String> tags = new LinkedHashMap<>(v.tags());
        if (!v.runId().isBlank()) {
            tags.put("mlflow.run_id", v.runId());
        }
        setTags(registry, ref, what, tags, importer, t);
        if (!v.description().isBlank()) {
            attempt(t, what + " description", "", () -> registry.describe(ref, v.description(), importer));
        }
        return true;
    }

    /** Sets the tags the registry takes; each one it refuses by name is a line of the report. */
    private static void setTags(Registry registry, String ref, String what, Map<String, String> tags, Actor importer, Tally t) {
        Map<String, String> ok = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            try {
                ok.put(Sanitizer.identifier("tag name", k), v);
            } catch (ModelgateException e) {
                t.unmapped.add(what + " tag '" + Sanitizer.freeText(k.length() > 60 ? k.substring(0, 57) + "..." : k)
                        + "': not imported: " + e.getMessage());
            }
        });
        if (!ok.isEmpty()) {
            attempt(t, what + " tags", "", () -> registry.tags(ref, ok, true, importer));
        }
    }

    /**
     * Puts each version in the stage MLflow has it in, oldest first so that the newest ends up holding
     * the stage. MLflow holds any number of versions in a stage; where the registry's stage holds fewer,
     * the newest are kept and the others reported, since promoting them all would only archive them.
     */
    private static void importStages(Registry registry, RegistryConfig config, String name,
                                     Map<BigInteger, MlflowVersion> versions, Map<BigInteger, String> present,
                                     Map<String, String> stages, Actor importer, Tally t) {
        Map<String, List<MlflowVersion>> byStage = new LinkedHashMap<>();
        for (MlflowVersion v : versions.values()) {
            if (!present.containsKey(v.number())) {
                continue;
            }
            String mlflowStage = STAGES.stream().filter(s -> s.equalsIgnoreCase(v.stage())).findFirst().orElse(v.stage());
            String stage = stages.get(mlflowStage);
            if (stage == null) {
                t.unmapped.add(v.describe() + ": stage '" + Sanitizer.freeText(v.stage()) + "' is not an MLflow stage ("
                        + String.join(", ", STAGES) + "); registered only");
            } else if (!stage.isEmpty() && !config.isStage(stage)) {
                t.unmapped.add(v.describe() + ": MLflow stage " + mlflowStage + " would be registry stage '" + stage
                        + "', which this registry does not have (" + String.join(", ", config.allStages())
                        + "); registered only. Map it: --stage " + mlflowStage + "=STAGE");
            } else if (!stage.isEmpty()) {
                byStage.computeIfAbsent(stage, s -> new ArrayList<>()).add(v);
            }
        }
        List<MlflowVersion> promote = new ArrayList<>();
        Map<MlflowVersion, String> target = new java.util.HashMap<>();
        byStage.forEach((stage, held) -> {
            int capacity = stage.equals(config.archive()) ? 0 : config.capacity(stage);
            int skip = capacity > 0 ? Math.max(0, held.size() - capacity) : 0;
            for (int i = 0; i < held.size(); i++) {
                MlflowVersion v = held.get(i);
                if (i < skip) {
                    t.unmapped.add(v.describe() + ": in " + v.stage() + " with newer versions; registry stage " + stage
                            + " holds " + capacity + (capacity == 1 ? " version" : " versions") + ", so it stays where it is");
                } else {
                    promote.add(v);
                    target.put(v, stage);
                }
            }
        });
        promote.sort(java.util.Comparator.comparing(MlflowVersion::number));
        for (MlflowVersion v : promote) {
            String stage = target.get(v);
            attempt(t, v.describe(), " (" + v.describe() + ")", () -> registry.importPromote(name, present.get(v.number()),
                    stage, FROM + name + " version " + v.number() + " is in " + v.stage(), importer));
        }
    }

    /** Who registered the version in MLflow, and when; the importer and now where MLflow does not say. */
    private static Actor creator(MlflowVersion v, Actor importer) {
        Instant at = v.created() < 0 ? importer.at() : Instant.ofEpochMilli(v.created());
        try {
            return new Actor(v.userId().isBlank() ? importer.name() : v.userId(), importer.build(), at);
        } catch (ModelgateException e) {
            return new Actor(importer.name(), importer.build(), at);
        }
    }

    /**
     * The artifact of an imported version: MLflow's {@code source} (its {@code models:/NAME/N} URI
     * when there is none), credentials hidden, with the SHA-256 of {@link #identity} and size 0,
     * since MLflow records neither the files' digest nor their size. A verdict binds to this digest:
     * judging the version by reference works, judging a downloaded copy of its files does not match
     * and is refused, as nothing shows that the copy is what MLflow holds.
     */
    static Artifact artifact(MlflowVersion v) {
        String uri = v.source().isBlank() ? "models:/" + v.model() + "/" + v.number() : Redactor.redactUrls(v.source());
        return new Artifact(uri, Digests.sha256(identity(v.model(), v.number(), uri)), 0);
    }

    /** {@code mlflow-model-version NAME N URI}: one MLflow version from one source, and nothing else. */
    static byte[] identity(String model, BigInteger number, String uri) {
        return ("mlflow-model-version " + model + " " + number + " " + uri).getBytes(StandardCharsets.UTF_8);
    }
}
