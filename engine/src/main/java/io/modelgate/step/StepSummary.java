package io.modelgate.step;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A step's outcome at a glance, for the block a Jenkins build page shows per step: the result, one
 * headline and a few labelled facts (the verdict and its counts, the version registered, the
 * rollout's phase). Jenkins-free, so the plugin's page only lays it out.
 *
 * @param step     the step's name
 * @param result   {@code SUCCESS}, {@code UNSTABLE} or {@code FAILURE}
 * @param headline the outcome's one-line message
 * @param facts    labelled values, in the order to show them
 */
public record StepSummary(String step, String result, String headline, List<Fact> facts) {
    public StepSummary {
        facts = List.copyOf(facts);
    }

    /** One labelled value, e.g. {@code Verdict: WARN}. */
    public record Fact(String label, String value) {
    }

    /** The summary of an outcome; facts that the result does not carry are left out. */
    public static StepSummary of(StepOutcome outcome) {
        Map<String, Object> v = outcome.value();
        List<Fact> facts = new ArrayList<>();
        switch (outcome.step()) {
            case "validateModel" -> {
                add(facts, "Verdict", str(v, "status"));
                if (v.get("counts") instanceof Map<?, ?> c) {
                    add(facts, "Checks", num(c, "pass") + " passed, " + num(c, "warn") + " warned, " + num(c, "fail")
                            + " failed, " + num(c, "skipped") + " skipped");
                }
                if (v.get("registry") instanceof Map<?, ?> r) {
                    add(facts, "Version", version(r));
                }
            }
            case "registerModel" -> add(facts, "Version", version(v));
            case "promoteModel", "rollbackModel" -> {
                add(facts, "Registry", str(v, "status"));
                if (v.get("event") instanceof Map<?, ?> e) {
                    add(facts, "Version", join(e, "model", "version"));
                    add(facts, "Stage", String.valueOf(e.get("stage") == null ? "" : e.get("stage")));
                    add(facts, "Alias", String.valueOf(e.get("alias") == null ? "" : e.get("alias")));
                }
            }
            case "recordLineage" -> {
                String id = str(v, "id");
                add(facts, "Record", id.length() > 12 ? id.substring(0, 12) : id);
                add(facts, "Job", str(v, "job"));
                add(facts, "Inputs", size(v.get("inputs")));
                add(facts, "Outputs", size(v.get("outputs")));
            }
            case "canaryRollout" -> {
                add(facts, "Rollout", str(v, "phase").replace('_', ' ').toLowerCase(Locale.ROOT));
                add(facts, "Reason", str(v, "reason"));
                if (v.get("intervals") instanceof List<?> l) {
                    add(facts, "Analyses", l.size() + ", " + (str(v, "failures").isEmpty() ? "0" : str(v, "failures")) + " failed");
                }
            }
            default -> {
            }
        }
        return new StepSummary(outcome.step(), outcome.result(), outcome.message(), facts);
    }

    /** {@code churn@v1.2.0}, from a registry outcome's first version or its event. */
    private static String version(Map<?, ?> registryOutcome) {
        if (registryOutcome.get("versions") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> first) {
            return join(first, "model", "version");
        }
        if (registryOutcome.get("event") instanceof Map<?, ?> e) {
            return join(e, "model", "version");
        }
        return "";
    }

    private static String join(Map<?, ?> m, String a, String b) {
        Object x = m.get(a);
        Object y = m.get(b);
        return x == null || y == null || y.toString().isEmpty() ? "" : x + "@" + y;
    }

    private static void add(List<Fact> facts, String label, String value) {
        if (value != null && !value.isBlank()) {
            facts.add(new Fact(label, value));
        }
    }

    private static String str(Map<String, Object> v, String key) {
        Object o = v.get(key);
        return o == null ? "" : o.toString();
    }

    private static String num(Map<?, ?> m, String key) {
        Object o = m.get(key);
        return o == null ? "0" : o.toString();
    }

    private static String size(Object list) {
        return list instanceof List<?> l ? Integer.toString(l.size()) : "";
    }
}
