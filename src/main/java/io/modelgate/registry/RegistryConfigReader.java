package io.modelgate.registry;

import io.modelgate.common.Yaml;
import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code registry:} section of {@code modelgate.yaml}. Strict, like the gate's policy:
 * a misspelt rule must not silently allow a promotion.
 */
public final class RegistryConfigReader {
    private static final Set<String> SECTION_KEYS = Set.of("stages", "archive", "promotion", "gto_tags", "location");
    private static final Set<String> STAGE_KEYS = Set.of("capacity");
    private static final Set<String> RULE_KEYS = Set.of("require_verdict", "require_lineage", "require_approver", "from",
            "min_time_in_stage");

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
        JsonNode root = Yaml.parse(source, yaml, RegistryException::new);
        if (root == null || root.isNull() || root.isMissingNode() || !root.has("registry")) {
            throw new RegistryException(source + ": has no 'registry:' section; nothing to store (keys found: "
                    + (root == null || !root.isObject() || root.isEmpty() ? "none" : String.join(", ", fieldNames(root))) + ")");
        }
        return parse(source, yaml);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(n -> names.add(io.modelgate.common.Sanitizer.freeText(n)));
        return names;
    }

    static RegistryConfig parse(String source, String yaml) {
        JsonNode root = Yaml.parse(source, yaml, RegistryException::new);
        if (root == null || root.isNull() || root.isMissingNode() || !root.has("registry")) {
            return RegistryConfig.defaults();
        }
        JsonNode section = root.get("registry");
        String path = "registry";
        requireObject(source, section, path);
        checkKeys(source, section, path, SECTION_KEYS);
        RegistryConfig defaults = RegistryConfig.defaults();
        Map<String, Integer> stages = defaults.stages();
        if (section.has("stages")) {
            stages = new LinkedHashMap<>();
            JsonNode s = section.get("stages");
            requireObject(source, s, path + ".stages");
            for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext(); ) {
                var e = it.next();
                String spath = path + ".stages." + e.getKey();
                stageName(source, path + ".stages", e.getKey());
                int capacity = 1;
                if (!e.getValue().isNull()) {
                    requireObject(source, e.getValue(), spath);
                    checkKeys(source, e.getValue(), spath, STAGE_KEYS);
                    JsonNode c = e.getValue().get("capacity");
                    if (c != null) {
                        if (!c.isInt() || c.asInt() < 0) {
                            throw error(source, spath + ".capacity", "must be a whole number >= 0 (0: any number)");
                        }
                        capacity = c.asInt();
                    }
                }
                stages.put(e.getKey(), capacity);
            }
        }
        String archive = section.has("archive") ? section.get("archive").asText() : defaults.archive();
        stageName(source, path + ".archive", archive);
        if (stages.containsKey(archive)) {
            throw error(source, path + ".archive", "'" + archive + "' is also listed under stages; the archive is a"
                    + " stage of its own");
        }
        Map<String, PromotionRule> promotion = defaults.promotion();
        if (section.has("promotion")) {
            promotion = new LinkedHashMap<>();
            JsonNode p = section.get("promotion");
            requireObject(source, p, path + ".promotion");
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext(); ) {
                var e = it.next();
                String ppath = path + ".promotion." + e.getKey();
                if (!stages.containsKey(e.getKey())) {
                    throw error(source, ppath, "unknown stage '" + e.getKey() + "'; stages: " + String.join(", ", stages.keySet()));
                }
                promotion.put(e.getKey(), rule(source, e.getValue(), ppath, stages.keySet(), archive));
            }
        }
        boolean gto = section.has("gto_tags") && bool(source, section.get("gto_tags"), path + ".gto_tags");
        if (gto) {
            for (String stage : stages.keySet()) {
                if (!io.modelgate.registry.gto.GtoTag.isValidStage(stage)) {
                    throw error(source, path + ".stages." + stage, "'" + stage + "' cannot be part of a GTO tag (GTO "
                            + "allows letters, digits, '_', '-' and '/'); rename it or turn gto_tags off");
                }
            }
        }
        return new RegistryConfig(stages, archive, promotion, gto);
    }

    /** The registry location set in the file, if any; flags and MODELGATE_REGISTRY come first. */
    public static java.util.Optional<String> location(Path file) {
        if (!Files.exists(file)) {
            return java.util.Optional.empty();
        }
        JsonNode root = Yaml.parse(file.toString(), Yaml.read(file, RegistryException::new), RegistryException::new);
        JsonNode loc = root == null ? null : root.path("registry").get("location");
        return loc == null || loc.isNull() ? java.util.Optional.empty() : java.util.Optional.of(loc.asText());
    }

    private static PromotionRule rule(String source, JsonNode node, String path, Set<String> stages, String archive) {
        requireObject(source, node, path);
        checkKeys(source, node, path, RULE_KEYS);
        PromotionRule.RequiredVerdict verdict = PromotionRule.RequiredVerdict.NONE;
        if (node.has("require_verdict")) {
            String v = node.get("require_verdict").asText().trim().toUpperCase(Locale.ROOT);
            try {
                verdict = PromotionRule.RequiredVerdict.valueOf(v);
            } catch (IllegalArgumentException e) {
                throw error(source, path + ".require_verdict", "must be pass, warn or none, found '"
                        + node.get("require_verdict").asText() + "'");
            }
        }
        List<String> from = new ArrayList<>();
        if (node.has("from")) {
            JsonNode f = node.get("from");
            for (JsonNode s : f.isArray() ? f : List.of(f)) {
                if (!stages.contains(s.asText()) && !s.asText().equals(archive)) {
                    throw error(source, path + ".from", "unknown stage '" + s.asText() + "'");
                }
                from.add(s.asText());
            }
        }
        Duration min = node.has("min_time_in_stage")
                ? Durations.parse(node.get("min_time_in_stage").asText(), source + ": " + path + ".min_time_in_stage")
                : Duration.ZERO;
        return new PromotionRule(verdict,
                node.has("require_lineage") && bool(source, node.get("require_lineage"), path + ".require_lineage"),
                node.has("require_approver") && bool(source, node.get("require_approver"), path + ".require_approver"),
                from, min);
    }

    /**
     * Stage names become parts of GTO tag names and are written after {@code NAME@}, so each is one
     * file-name-like part (letters, digits, {@code . _ -}), and never a version or {@code latest},
     * which {@code NAME@X} would read first.
     */
    private static void stageName(String source, String path, String stage) {
        try {
            RegistryInputs.stage(stage);
        } catch (io.modelgate.common.ModelgateException e) {
            throw error(source, path, e.getMessage());
        }
        if (stage.equals("latest") || RegistryInputs.isVersion(stage)) {
            throw error(source, path, "stage '" + stage + "' would read as " + (stage.equals("latest")
                    ? "the latest version" : "a version") + " in NAME@" + stage + "; choose another name");
        }
    }

    private static boolean bool(String source, JsonNode v, String path) {
        if (!v.isBoolean()) {
            throw error(source, path, "must be true or false, found '" + v.asText() + "'");
        }
        return v.asBoolean();
    }

    private static void requireObject(String source, JsonNode node, String path) {
        if (!node.isObject()) {
            throw error(source, path, "must be a mapping of keys to values");
        }
    }

    private static void checkKeys(String source, JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw error(source, path + "." + key, "unknown key '" + key + "'; allowed: "
                        + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private static RegistryException error(String source, String path, String message) {
        return new RegistryException(source + ": " + path + ": " + message);
    }
}
