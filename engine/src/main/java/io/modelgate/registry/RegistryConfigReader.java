package io.modelgate.registry;

import io.modelgate.common.Field;
import io.modelgate.common.ModelgateException;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.Yaml;
import io.modelgate.registry.gto.GtoTag;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the {@code registry:} section of {@code modelgate.yaml}. Strict, like the gate's policy:
 * a misspelt rule must not silently allow a promotion.
 */
public final class RegistryConfigReader {
    private static final Set<String> SECTION_KEYS = Set.of("stages", "archive", "promotion", "gto_tags", "location");
    private static final Set<String> STAGE_KEYS = Set.of("capacity");
    private static final Set<String> RULE_KEYS = Set.of("require_verdict", "require_lineage", "require_approver", "from",
            "min_time_in_stage", "approvers");
    private static final Set<String> APPROVER_KEYS = Set.of("users", "groups");
    private static final Map<String, PromotionRule.RequiredVerdict> VERDICTS = Field.choices(
            Map.entry("pass", PromotionRule.RequiredVerdict.PASS), Map.entry("warn", PromotionRule.RequiredVerdict.WARN),
            Map.entry("none", PromotionRule.RequiredVerdict.NONE));
    /** Ten years: longer than any promotion rule means, short enough for every sum with an instant. */
    static final Duration MAX_TIME_IN_STAGE = Duration.ofDays(3650);

    private RegistryConfigReader() {
    }

    /** The config in {@code file}, or the defaults when the file does not exist or has no registry section. */
    public static RegistryConfig read(Path file) {
        if (!Files.exists(file)) {
            return RegistryConfig.defaults();
        }
        return parse(file.toString(), Yaml.read(file, RegistryException::new));
    }

    /**
     * The configuration a user stores with {@code registry configure --file}: unlike a shared
     * modelgate.yaml, the file must have a {@code registry:} section, so an empty file or a typo in the
     * section's name is refused rather than stored as "the defaults".
     */
    static RegistryConfig parseToStore(String source, String yaml) {
        Field root = Field.parse(source, yaml, RegistryException::new);
        if (!root.has("registry")) {
            List<String> keys = root.keys().stream().map(Sanitizer::freeText).toList();
            throw root.error("has no 'registry:' section; nothing to store (keys found: "
                    + (keys.isEmpty() ? "none" : String.join(", ", keys)) + ")");
        }
        return parse(source, yaml);
    }

    static RegistryConfig parse(String source, String yaml) {
        Field root = Field.parse(source, yaml, RegistryException::new);
        if (!root.has("registry")) {
            return RegistryConfig.defaults();
        }
        Field section = root.get("registry").mapping().allow(SECTION_KEYS);
        RegistryConfig defaults = RegistryConfig.defaults();
        Map<String, Integer> stages = defaults.stages();
        if (section.has("stages")) {
            stages = new LinkedHashMap<>();
            Field s = section.get("stages").mapping();
            for (String stage : s.keys()) {
                stageName(s, stage);
                Field settings = s.get(stage);
                if (settings.isPresent()) {
                    settings.mapping().allow(STAGE_KEYS);
                }
                stages.put(stage, (int) settings.get("capacity").count(0, Integer.MAX_VALUE, 1));
            }
        }
        Field archiveField = section.get("archive");
        String archive = archiveField.text(defaults.archive());
        stageName(archiveField, archive);
        if (stages.containsKey(archive)) {
            throw archiveField.error("'" + archive + "' is also listed under stages; the archive is a stage of its own");
        }
        Map<String, PromotionRule> promotion = defaults.promotion();
        if (section.has("promotion")) {
            promotion = new LinkedHashMap<>();
            Field p = section.get("promotion").mapping();
            for (String stage : p.keys()) {
                if (!stages.containsKey(stage)) {
                    throw p.get(stage).error("unknown stage '" + Sanitizer.freeText(stage) + "'; stages: "
                            + String.join(", ", stages.keySet()));
                }
                promotion.put(stage, rule(p.get(stage), stages.keySet(), archive));
            }
        }
        Field gtoField = section.get("gto_tags");
        boolean gto = gtoField.bool(false);
        if (gto) {
            for (String stage : stages.keySet()) {
                if (!GtoTag.isValidStage(stage)) {
                    throw section.get("stages").get(stage).error("'" + stage + "' cannot be part of a GTO tag (GTO "
                            + "allows letters, digits, '_', '-' and '/'); rename it or turn gto_tags off");
                }
            }
        }
        return new RegistryConfig(stages, archive, promotion, gto);
    }

    /** The registry location set in the file, if any; flags and MODELGATE_REGISTRY come first. */
    public static Optional<String> location(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Field root = Field.parse(file.toString(), Yaml.read(file, RegistryException::new), RegistryException::new);
        Field location = root.isMapping() ? root.get("registry") : root;
        return location.isMapping() ? Optional.ofNullable(location.get("location").text(null)) : Optional.empty();
    }

    private static PromotionRule rule(Field node, Set<String> stages, String archive) {
        node.mapping().allow(RULE_KEYS);
        PromotionRule.RequiredVerdict verdict = node.get("require_verdict").oneOf(PromotionRule.RequiredVerdict.NONE,
                VERDICTS);
        List<String> from = new ArrayList<>();
        Field f = node.get("from");
        for (Field s : f.isList() ? f.items() : f.isPresent() ? List.of(f) : List.<Field>of()) {
            String stage = s.text("");
            if (!stages.contains(stage) && !stage.equals(archive)) {
                throw f.error("unknown stage '" + Sanitizer.freeText(stage) + "'");
            }
            from.add(stage);
        }
        Duration min = node.get("min_time_in_stage").duration(Duration.ZERO, MAX_TIME_IN_STAGE, "10 years (3650d)");
        return new PromotionRule(verdict, node.get("require_lineage").bool(false), node.get("require_approver").bool(false),
                from, min, approvers(node.get("approvers")));
    }

    private static PromotionRule.Approvers approvers(Field node) {
        if (!node.isPresent()) {
            return PromotionRule.Approvers.ANYONE;
        }
        node.mapping().allow(APPROVER_KEYS);
        PromotionRule.Approvers a = new PromotionRule.Approvers(names(node.get("users")), names(node.get("groups")));
        if (a.isAnyone()) {
            throw node.error("names nobody; give users: [...] and/or groups: [...], or leave approvers out");
        }
        return a;
    }

    private static List<String> names(Field f) {
        List<String> out = new ArrayList<>();
        for (Field item : f.isList() ? f.items() : f.isPresent() ? List.of(f) : List.<Field>of()) {
            String name = item.text("");
            try {
                RegistryInputs.approver(name);
            } catch (ModelgateException e) {
                throw item.error(e.getMessage());
            }
            if (name.isBlank()) {
                throw item.error("empty name");
            }
            out.add(name);
        }
        return out;
    }

    /**
     * Stage names become parts of GTO tag names and are written after {@code NAME@}, so each is one
     * file-name-like part (letters, digits, {@code . _ -}), and never a version or {@code latest},
     * which {@code NAME@X} would read first. An error names {@code where}: the stages or the archive.
     */
    private static void stageName(Field where, String stage) {
        try {
            RegistryInputs.stage(stage);
        } catch (ModelgateException e) {
            throw where.error(e.getMessage());
        }
        if (stage.equals("latest") || RegistryInputs.isVersion(stage)) {
            throw where.error("stage '" + stage + "' would read as " + (stage.equals("latest")
                    ? "the latest version" : "a version") + " in NAME@" + stage + "; choose another name");
        }
    }
}
