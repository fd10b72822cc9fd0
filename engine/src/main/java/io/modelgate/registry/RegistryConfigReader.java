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
    private static final Set<String> SECTION_KEYS = Set.of("stages", "archive", "promotion", "gto_tags", "location",
            "hooks");
    private static final Set<String> STAGE_KEYS = Set.of("capacity");
    private static final Set<String> RULE_KEYS = Set.of("require_verdict", "require_lineage", "require_approver", "from",
            "min_time_in_stage", "approvers");
    private static final Set<String> APPROVER_KEYS = Set.of("users", "groups");
    private static final Set<String> HOOK_KEYS = Set.of("url", "command", "secret_env", "events", "attempts", "timeout");
    /** Event types by name as the enum writes them or as their id: {@code alias_set} and {@code alias-set}. */
    private static final Map<String, EventType> EVENT_TYPES = eventTypes();
    /** A variable name as POSIX shells take them; a secret pasted in its place is refused by this too. */
    private static final java.util.regex.Pattern ENV_NAME = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    /** Longer than any web server waits for a request, short enough that a stuck hook does not hold a build for long. */
    static final Duration MAX_HOOK_TIMEOUT = Duration.ofMinutes(5);
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
        return new RegistryConfig(stages, archive, promotion, gto, hooks(section.get("hooks")));
    }

    private static Map<String, EventType> eventTypes() {
        Map<String, EventType> m = new LinkedHashMap<>();
        for (EventType t : EventType.values()) {
            m.put(t.id(), t);
        }
        for (EventType t : EventType.values()) {
            m.putIfAbsent(t.name().toLowerCase(java.util.Locale.ROOT), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }

    private static List<Hook> hooks(Field node) {
        List<Hook> hooks = new ArrayList<>();
        if (!node.isPresent()) {
            return hooks;
        }
        if (!node.isList()) {
            throw node.error("must be a list of hooks (- url: https://... or - command: /path/to/script), found "
                    + node.describe());
        }
        for (Field h : node.items()) {
            hooks.add(hook(h));
        }
        return hooks;
    }

    private static Hook hook(Field node) {
        node.mapping().allow(HOOK_KEYS);
        if (node.has("url") == node.has("command")) {
            throw node.error(node.has("url") ? "has both url and command; a hook is one or the other"
                    : "needs a url (a webhook) or a command (a program run with the event on its input)");
        }
        String url = node.has("url") ? url(node.get("url")) : "";
        List<String> command = new ArrayList<>();
        Field c = node.get("command");
        for (Field part : c.isList() ? c.items() : c.isPresent() ? List.of(c) : List.<Field>of()) {
            String arg = part.name();
            if (Sanitizer.hasControl(arg)) {
                throw part.error("contains a control character");
            }
            command.add(arg);
        }
        if (c.isPresent() && command.isEmpty()) {
            throw c.error("names no program");
        }
        Field secretField = node.get("secret_env");
        String secretEnv = secretField.text("");
        if (secretField.isPresent() && !ENV_NAME.matcher(secretEnv).matches()) {
            // The value is not shown: if it is the secret itself, the message must not repeat it.
            throw secretField.error("must be the name of an environment variable that holds the secret (such as "
                    + "MODELGATE_HOOK_SECRET), never the secret itself");
        }
        java.util.Set<EventType> events = java.util.EnumSet.allOf(EventType.class);
        Field e = node.get("events");
        if (e.isPresent()) {
            events = java.util.EnumSet.noneOf(EventType.class);
            for (Field type : e.isList() ? e.items() : List.of(e)) {
                if (type.isAbsent()) {
                    throw type.error("must be an event type, found nothing");
                }
                events.add(type.oneOf(EventType.REGISTER, EVENT_TYPES));
            }
            if (events.isEmpty()) {
                throw e.error("names no event type; leave events out to deliver every event");
            }
        }
        int attempts = (int) node.get("attempts").count(1, Hook.MAX_ATTEMPTS, Hook.DEFAULT_ATTEMPTS);
        Field t = node.get("timeout");
        Duration timeout = t.duration(Hook.DEFAULT_TIMEOUT, MAX_HOOK_TIMEOUT, "5 minutes (5m)");
        if (timeout.isZero()) {
            throw t.error("must be longer than 0");
        }
        return new Hook(url, command, secretEnv, events, attempts, timeout);
    }

    /** An http or https URL with a host: a hook sends events nowhere else (no file:, no ftp:, no bare path). */
    private static String url(Field node) {
        String url = node.name();
        String shown = "'" + Sanitizer.freeText(io.modelgate.common.Redactor.url(url)) + "'";
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException ex) {
            throw node.error("is not a URL: " + shown);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw node.error("must be an http or https URL, found " + shown);
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw node.error("has no host: " + shown);
        }
        if (url.length() > RegistryInputs.MAX_URL) {
            throw node.error("is " + url.length() + " characters long; at most " + RegistryInputs.MAX_URL + " are allowed");
        }
        return url;
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
