package io.modelgate.registry;

import io.modelgate.common.Names;
import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.common.SemVer;
import io.modelgate.metrics.MetricSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What text may enter the registry, checked where it enters the engine (every {@link Registry}
 * method), so the command line, the Jenkins steps and Java callers are held to the same rules.
 * Names (model, version, stage, alias, actor, approver, metric) are refused with a one-line error
 * when they hold a control character; free text (reasons, descriptions, tag values) is stored as
 * one escaped line with the credentials of any URL in it hidden. {@link #checkStored} is the last
 * check before anything is written: it refuses what slipped past, rather than write it.
 */
final class RegistryInputs {
    /** A model name is a Git ref component, a file name in lineage's tree, and part of GTO's tag names. */
    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,98}[A-Za-z0-9])?");
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_-]{0,62}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Set<String> STATUSES = Set.of("PASS", "WARN", "FAIL");
    /** URIs and build URLs are longer than names (deep folders, signed URLs) but still one line. */
    static final int MAX_URL = 2_000;

    private RegistryInputs() {
    }

    static String model(String name) {
        Sanitizer.identifier("model name", name);
        if (!MODEL.matcher(name).matches()) {
            throw new RegistryException("model name '" + name + "' is not allowed: use letters, digits, '.', '_' "
                    + "and '-', starting and ending with a letter or digit");
        }
        return Names.ref("model name", name);
    }

    /**
     * A version as given to a command: a name first (no control characters), then {@code v} and a
     * Semantic Version 2.0.0 ({@link SemVer}), then a valid ref part (so no {@code .lock} ending).
     */
    static String version(String version) {
        Sanitizer.identifier("version", version);
        if (!version.startsWith("v")) {
            throw new RegistryException("version '" + version + "' needs a leading 'v', like v1.4.0 (registry and GTO"
                    + " versions are written with one)");
        }
        SemVer.parse(version);
        return Names.ref("version", version);
    }

    /** Whether {@code text} is a version as the registry writes them: {@code v} and a Semantic Version. */
    static boolean isVersion(String text) {
        return text.startsWith("v") && SemVer.isValid(text);
    }

    /** A version, a stage, an alias or {@code latest}, as after the {@code @} of {@code NAME@X}. */
    static String reference(String reference) {
        return Sanitizer.identifier("model reference", reference);
    }

    /** A stage name: one Git ref component and one GTO tag part (checked against the configuration by the caller). */
    static String stage(String stage) {
        return Names.segment("stage", stage);
    }

    static String alias(String alias) {
        Sanitizer.identifier("alias", alias);
        if (!ALIAS.matcher(alias).matches()) {
            throw new RegistryException("alias '" + alias + "' is not allowed: use lower-case letters, digits, '_' and '-', "
                    + "starting with a letter");
        }
        return Names.ref("alias", alias);
    }

    static String approver(String approver) {
        return Sanitizer.optionalIdentifier("approver", approver);
    }

    /** Free text as stored: URL credentials hidden, then escaped onto one line. */
    static String freeText(String text) {
        return Sanitizer.freeText(Redactor.redactUrls(text == null ? "" : text));
    }

    /**
     * A URI or URL as stored: its credentials hidden; control characters refused (a path with a line
     * break in it would start a new line wherever it is shown).
     */
    static String url(String field, String url) {
        if (url == null || url.isEmpty()) {
            return "";
        }
        if (Sanitizer.hasControl(url)) {
            throw new RegistryException(field + " '" + Sanitizer.escape(shorten(url)) + "' contains a control character"
                    + " (such as a line break, tab, NUL or escape)");
        }
        if (url.length() > MAX_URL) {
            throw new RegistryException(field + " is " + url.length() + " characters long; at most " + MAX_URL
                    + " are allowed");
        }
        return Redactor.redactUrls(url);
    }

    static String lineageId(String id) {
        Sanitizer.identifier("lineage record id", id);
        if (!SHA256.matcher(id).matches()) {
            throw new RegistryException("lineage record id '" + id + "' is not a full record id (64 hex characters)");
        }
        return id;
    }

    static Map<String, String> tags(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> out.put(Sanitizer.identifier("tag name", k), freeText(v)));
        return out;
    }

    /** A verdict as stored: a known status, the summary as free text, a real digest, metric names that are names. */
    static VerdictRecord verdict(VerdictRecord v) {
        if (!STATUSES.contains(v.status())) {
            throw new RegistryException("verdict status '" + Sanitizer.escape(v.status()) + "' is not PASS, WARN or FAIL");
        }
        Sanitizer.identifier("verdict artifact digest", v.artifactSha256());
        if (v.evaluatedAt() == null) {
            throw new RegistryException("verdict has no evaluation time");
        }
        MetricSet m = v.metrics() == null ? MetricSet.empty() : v.metrics();
        m.overall().keySet().forEach(k -> Sanitizer.identifier("metric name", k));
        m.slices().forEach((slice, metrics) -> {
            Sanitizer.identifier("slice", slice);
            metrics.keySet().forEach(k -> Sanitizer.identifier("metric name", k));
        });
        m.intervals().forEach((scope, estimates) -> {
            Sanitizer.identifier("slice", scope);
            estimates.forEach((k, e) -> {
                Sanitizer.identifier("metric name", k);
                Sanitizer.identifier("interval method", e.method());
            });
        });
        return new VerdictRecord(v.status(), freeText(v.summary()), v.evaluatedAt(), v.artifactSha256(), m);
    }

    /**
     * The last check before a change is written: every name in the event and the changed versions is
     * one, and no text holds a control character. Values that passed the methods above always pass;
     * anything else is refused here instead of being written into a commit.
     */
    /** Events that may concern the whole model, with no version. */
    private static final java.util.Set<EventType> MODEL_EVENTS = java.util.EnumSet.of(EventType.TAG_SET,
            EventType.TAG_UNSET, EventType.DESCRIBE, EventType.DEPRECATE, EventType.ACCEPT_REWRITE);

    static void checkStored(Decision.Change change) {
        RegistryEvent e = change.event();
        model(e.model());
        if (!e.version().isEmpty() || !MODEL_EVENTS.contains(e.type())) {
            Sanitizer.identifier("version", e.version());
        }
        stored("stage", e.stage());
        stored("from stage", e.fromStage());
        e.displaced().forEach(d -> Sanitizer.identifier("displaced version", d));
        stored("alias", e.alias());
        Sanitizer.identifier("actor", e.actor());
        stored("approver", e.approver());
        stored("reason", e.reason());
        e.tags().forEach((k, v) -> {
            Sanitizer.identifier("tag name", k);
            stored("tag value", v);
        });
        checkBuild(e.build());
        for (ModelVersion v : change.versions()) {
            // What this change adds: a new version's fields, or the newest verdict or rejection. Older
            // entries are left as they were stored (in the version's JSON, never in a commit message).
            if (e.type() == EventType.REGISTER) {
                stored("description", v.description());
                stored("artifact uri", v.artifact().uri());
                stored("created by", v.createdBy());
                v.tags().forEach((k, val) -> {
                    stored("tag name", k);
                    stored("tag value", val);
                });
                checkBuild(v.build());
            }
            if (!v.rejections().isEmpty()) {
                Rejection last = v.rejections().get(v.rejections().size() - 1);
                stored("rejection reason", last.reason());
                if (last.override() != null) {
                    stored("override reason", last.override().reason());
                }
            }
            if (!v.verdicts().isEmpty()) {
                stored("verdict summary", v.verdicts().get(v.verdicts().size() - 1).summary());
            }
        }
    }

    private static void checkBuild(BuildInfo b) {
        stored("BUILD_URL", b.buildUrl());
        stored("JOB_NAME", b.jobName());
        stored("BUILD_NUMBER", b.buildNumber());
        stored("GIT_COMMIT", b.gitCommit());
        if (!Redactor.redactUrls(b.buildUrl()).equals(b.buildUrl())) {
            throw new RegistryException("refusing to store a build URL with credentials in it");
        }
    }

    private static void stored(String field, String value) {
        if (value != null && Sanitizer.hasControl(value)) {
            throw new RegistryException("refusing to store " + field + " '" + Sanitizer.escape(shorten(value))
                    + "': it contains a control character");
        }
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
