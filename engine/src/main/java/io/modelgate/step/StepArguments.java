package io.modelgate.step;

import io.modelgate.common.Suggest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A step's parameters, checked against what the step takes before anything runs: an unknown name
 * (with a "did you mean"), a missing required one or a value of the wrong kind is a one-line error
 * naming the step and the parameter. The same check serves the shared library and the plugin.
 */
public final class StepArguments {
    private final String step;
    private final Map<String, Object> values;

    private StepArguments(String step, Map<String, Object> values) {
        this.step = step;
        this.values = values;
    }

    static StepArguments check(StepDefinition definition, Map<String, ?> raw) {
        Map<String, StepParam> byName = definition.params().stream()
                .collect(Collectors.toMap(StepParam::name, p -> p, (a, b) -> a, LinkedHashMap::new));
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            StepParam p = byName.get(e.getKey());
            if (p == null) {
                String hint = Suggest.closest(e.getKey(), byName.keySet().toArray(String[]::new))
                        .map(s -> " (did you mean '" + s + "'?)").orElse("");
                throw new StepException(definition.name() + ": unknown parameter '" + e.getKey() + "'" + hint
                        + "; it takes " + String.join(", ", byName.keySet()));
            }
            if (e.getValue() != null) {
                values.put(p.name(), convert(definition.name(), p, e.getValue()));
            }
        }
        for (StepParam p : definition.params()) {
            if (p.required() && !values.containsKey(p.name())) {
                throw new StepException(definition.name() + ": missing parameter '" + p.name() + "': " + p.help());
            }
        }
        return new StepArguments(definition.name(), values);
    }

    private static Object convert(String step, StepParam p, Object v) {
        String where = step + ": parameter '" + p.name() + "' ";
        return switch (p.kind()) {
            case STRING -> {
                if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                    yield v.toString();
                }
                throw new StepException(where + "must be a string, not " + describe(v));
            }
            case BOOLEAN -> {
                if (v instanceof Boolean b) {
                    yield b;
                }
                if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                    yield Boolean.parseBoolean(s);
                }
                throw new StepException(where + "must be true or false, not " + describe(v));
            }
            case NUMBER -> {
                double d;
                if (v instanceof Number n) {
                    d = n.doubleValue();
                } else if (v instanceof String s) {
                    try {
                        d = Double.parseDouble(s.strip());
                    } catch (NumberFormatException e) {
                        throw new StepException(where + "must be a number, not " + describe(v));
                    }
                } else {
                    throw new StepException(where + "must be a number, not " + describe(v));
                }
                if (!Double.isFinite(d)) {
                    throw new StepException(where + "must be a finite number, not " + v);
                }
                yield v.toString().strip();
            }
            case LIST -> {
                if (v instanceof String s) {
                    yield List.of(s);
                }
                if (v instanceof List<?> l) {
                    List<String> out = new ArrayList<>();
                    for (Object o : l) {
                        if (!(o instanceof String || o instanceof Number)) {
                            throw new StepException(where + "must be a list of strings; it holds " + describe(o));
                        }
                        out.add(o.toString());
                    }
                    yield List.copyOf(out);
                }
                throw new StepException(where + "must be a list of strings, not " + describe(v));
            }
            case MAP -> {
                if (v instanceof Map<?, ?> m) {
                    Map<String, String> out = new LinkedHashMap<>();
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        Object val = e.getValue();
                        if (!(val instanceof String || val instanceof Number || val instanceof Boolean)) {
                            throw new StepException(where + "must map names to strings; '" + e.getKey() + "' is "
                                    + describe(val));
                        }
                        out.put(String.valueOf(e.getKey()), val.toString());
                    }
                    yield out;
                }
                throw new StepException(where + "must be a map like [key: 'value'], not " + describe(v));
            }
        };
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof List) {
            return "a list";
        }
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        return v.toString();
    }

    /** The string value of a parameter that was given. */
    public Optional<String> string(String name) {
        return Optional.ofNullable((String) values.get(name)).filter(s -> !s.isEmpty());
    }

    /** A required string parameter (checked to be present). */
    public String require(String name) {
        return string(name).orElseThrow(() -> new StepException(step + ": parameter '" + name + "' must not be empty"));
    }

    public boolean flag(String name) {
        return Boolean.TRUE.equals(values.get(name));
    }

    @SuppressWarnings("unchecked")
    public List<String> list(String name) {
        return (List<String>) values.getOrDefault(name, List.of());
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(String name) {
        return (Map<String, String>) values.getOrDefault(name, Map.of());
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }
}
