package io.modelgate.common;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A value in a file a user wrote (a policy, plan or configuration in YAML, a metrics file in JSON),
 * with the path that leads to it ({@code registry.promotion.production.min_time_in_stage},
 * {@code steps[2].weight}), and typed accessors. Every reader of those files asks its questions
 * here, so every format is as strict as the others and says so the same way: one line,
 * {@code FILE: PATH: problem}, in the caller's exception type so the command keeps its exit code.
 *
 * <ul>
 *   <li>An unknown key is an error with a "did you mean" ({@link #allow}): a misspelt threshold or
 *       rule that is silently ignored lets a bad model through.</li>
 *   <li>A value of the wrong type says what was expected and what was found:
 *       {@code must be a number, found 'abc'}.</li>
 *   <li>A key that is absent, or present with no value ({@code key:} or {@code key: ~}), takes the
 *       caller's default; where there is none, it is "found nothing".</li>
 *   <li>Keys and values are escaped onto one line in messages ({@link Sanitizer#freeText}).</li>
 * </ul>
 */
public final class Field {
    private final String source;
    private final String path;
    private final JsonNode node;
    private final Function<String, ? extends ModelgateException> error;

    private Field(String source, String path, JsonNode node, Function<String, ? extends ModelgateException> error) {
        this.source = source;
        this.path = path;
        this.node = node == null || node.isMissingNode() || node.isNull() ? null : node;
        this.error = error;
    }

    /**
     * The whole document of {@code source}, as {@link Yaml#parse} or a JSON parser gives it (null for
     * an empty one); errors are made by {@code error} from the complete one-line message.
     */
    public static Field root(String source, JsonNode document, Function<String, ? extends ModelgateException> error) {
        return new Field(source, "", document, Objects.requireNonNull(error));
    }

    /** {@link Yaml#parse} of {@code yaml}, as a field. */
    public static Field parse(String source, String yaml, Function<String, ? extends ModelgateException> error) {
        return root(source, Yaml.parse(source, yaml, error), error);
    }

    /** The path from the document to this value, {@code ""} for the document itself. */
    public String path() {
        return path;
    }

    /** The file, as the user named it. */
    public String source() {
        return source;
    }

    /** Whether the value is missing, or written without a value. */
    public boolean isAbsent() {
        return node == null;
    }

    public boolean isPresent() {
        return node != null;
    }

    public boolean isMapping() {
        return node != null && node.isObject();
    }

    public boolean isList() {
        return node != null && node.isArray();
    }

    public boolean isNumber() {
        return node != null && node.isNumber();
    }

    /** The error {@code FILE: PATH: message} (or {@code FILE: message} for the document), to throw. */
    public ModelgateException error(String message) {
        return error.apply(source + (path.isEmpty() ? "" : ": " + path) + ": " + message);
    }

    // ------------------------------------------------------------------ mappings and lists

    /** This field, which must be a mapping of keys to values. */
    public Field mapping() {
        if (!isMapping()) {
            throw error("must be a mapping of keys to values, found " + describe());
        }
        return this;
    }

    /** This mapping, with every key one of {@code allowed}; an absent field has no keys to check. */
    public Field allow(String... allowed) {
        return allow(Arrays.asList(allowed));
    }

    /**
     * This mapping, with every key one of {@code allowed}. The first other key is an error:
     * {@code unknown key 'treshold' (did you mean 'threshold'?); allowed: ...}.
     */
    public Field allow(Collection<String> allowed) {
        for (String key : keys()) {
            if (!allowed.contains(key)) {
                throw child(key, null).error("unknown key '" + Sanitizer.freeText(key) + "'"
                        + Suggest.hint(key, allowed) + "; allowed: " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
        return this;
    }

    /** Whether this mapping has {@code key}, with or without a value; false when this field is absent. */
    public boolean has(String key) {
        return node != null && mapping().node.has(key);
    }

    /** The value under {@code key} of this mapping, absent if there is none (or this field is absent). */
    public Field get(String key) {
        if (node == null) {
            return child(key, null);
        }
        return child(key, mapping().node.get(key));
    }

    /** The keys of this mapping, in the order of the file; none when this field is absent. */
    public List<String> keys() {
        if (node == null) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        mapping().node.properties().forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    /** The items of this list, each with its path ({@code steps[1]} is the first); none when absent. */
    public List<Field> items() {
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error("must be a list, found " + describe());
        }
        List<Field> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            items.add(new Field(source, path + "[" + (i + 1) + "]", node.get(i), error));
        }
        return items;
    }

    /** How many items this list or keys this mapping has. */
    public int size() {
        return node == null ? 0 : node.size();
    }

    /**
     * This value read as the only key of a mapping: for a short form such as a list item {@code - 50}
     * that stands for {@code - {weight: 50}}, so its errors name {@code steps[2].weight}.
     */
    public Field as(String key) {
        return child(key, node);
    }

    /**
     * Refuses a {@code version} other than {@code supported}: a file written for a later format must
     * not be half understood.
     */
    public void requireVersion(int supported) {
        Field v = get("version");
        if (v.isPresent() && v.node.asInt(-1) != supported) {
            throw v.error("unsupported version " + v.describe() + "; this Modelgate reads version " + supported);
        }
    }

    private Field child(String key, JsonNode value) {
        String k = Sanitizer.escape(key);
        return new Field(source, path.isEmpty() ? k : path + "." + k, value, error);
    }

    // ------------------------------------------------------------------ scalars

    /** A finite number; NaN and infinities (YAML's {@code .nan}, {@code .inf}) are refused. */
    public double number() {
        double d = anyNumber();
        if (!Double.isFinite(d)) {
            throw error("must be a finite number, found " + describe());
        }
        return d;
    }

    /** {@link #number()}, or {@code fallback} when absent. */
    public double number(double fallback) {
        return node == null ? fallback : number();
    }

    /** A number, NaN and infinities included (Python's json module writes them). */
    public double anyNumber() {
        if (node == null || !node.isNumber()) {
            throw error("must be a number, found " + describe());
        }
        return node.asDouble();
    }

    /**
     * A whole number from {@code min} to {@code max}; {@code 3.0} counts as whole, {@code 3.5} and
     * {@code '3'} do not.
     */
    public long count(long min, long max) {
        boolean whole = node != null && isWhole();
        if (!whole || node.asLong() < min || node.asLong() > max) {
            // A maximum that only keeps the number in an int or a long is not worth reading, unless it was passed.
            boolean technical = max >= Integer.MAX_VALUE && !(whole && node.asLong() > max);
            throw error("must be a whole number " + (technical ? ">= " + min : "from " + min + " to " + max)
                    + ", found " + describe());
        }
        return node.asLong();
    }

    /** {@link #count(long, long)}, or {@code fallback} when absent. */
    public long count(long min, long max, long fallback) {
        return node == null ? fallback : count(min, max);
    }

    private boolean isWhole() {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong();
        }
        double d = node.asDouble();
        return node.isFloatingPointNumber() && d == Math.rint(d) && Math.abs(d) < 0x1p53;
    }

    /** {@code true} or {@code false}, as YAML writes them (not {@code yes}, not {@code 'true'}). */
    public boolean bool(boolean fallback) {
        if (node == null) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error("must be true or false, found " + describe());
        }
        return node.asBoolean();
    }

    /** A single value as text, blanks around it removed (a number or {@code true} is its text). */
    public String text(String fallback) {
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw error("must be a single value, found " + describe());
        }
        return node.asText().strip();
    }

    /** {@link #text}, which must be there and not blank: a column, model or stage name. */
    public String name() {
        if (node == null || !node.isValueNode() || node.asText().isBlank()) {
            throw error("must be a name, found " + describe());
        }
        return node.asText().strip();
    }

    /** {@link #name()}, or {@code fallback} when absent. */
    public String name(String fallback) {
        return node == null ? fallback : name();
    }

    /**
     * One of {@code choices}, case ignored; {@code fallback} when absent. The error lists the choices
     * that are not aliases of an earlier one, and suggests the closest:
     * {@code must be 'fail' or 'warn', found 'wran' (did you mean 'warn'?)}.
     *
     * @param choices from {@link #choices}: the names in the order they are shown
     */
    public <T> T oneOf(T fallback, Map<String, T> choices) {
        if (node == null) {
            return fallback;
        }
        String given = text("");
        T value = choices.get(given.toLowerCase(Locale.ROOT));
        if (value != null && node.isValueNode()) {
            return value;
        }
        List<String> shown = new ArrayList<>();
        List<T> seen = new ArrayList<>();
        choices.forEach((name, v) -> {
            if (!seen.contains(v)) {
                seen.add(v);
                shown.add("'" + name + "'");
            }
        });
        String list = shown.size() == 1 ? shown.get(0)
                : String.join(", ", shown.subList(0, shown.size() - 1)) + " or " + shown.get(shown.size() - 1);
        throw error("must be " + list + ", found " + describe() + Suggest.hint(given, choices.keySet()));
    }

    /** Named choices for {@link #oneOf}, in the order given; a later name for an earlier value is an alias. */
    @SafeVarargs
    public static <T> Map<String, T> choices(Map.Entry<String, T>... entries) {
        Map<String, T> m = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(m);
    }

    /** Choices for {@link #oneOf} that are their own names. */
    public static Map<String, String> choices(String... names) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, n);
        }
        return Collections.unmodifiableMap(m);
    }

    /** A duration in {@link Durations}' grammar, from 0 to {@code max}; {@code fallback} when absent. */
    public Duration duration(Duration fallback, Duration max, String maxText) {
        if (node == null) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw error("must be a duration like 30s, 5m or PT1M, found " + describe());
        }
        return Durations.parse(node.asText(), max, maxText, this::error);
    }

    /** The value as a message shows it: {@code nothing}, {@code a mapping}, {@code a list}, or {@code 'text'}. */
    public String describe() {
        if (node == null) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + Sanitizer.freeText(node.asText()) + "'";
    }
}
