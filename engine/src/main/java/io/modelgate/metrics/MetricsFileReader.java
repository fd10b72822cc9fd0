package io.modelgate.metrics;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.modelgate.common.Field;
import io.modelgate.common.InputFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads metrics that were computed elsewhere: JSON ({@code {"auc": 0.91}} or
 * {@code {"overall": {...}, "slices": {"region=eu": {...}}}}) or CSV ({@code metric,value[,slice]}).
 *
 * <p>Metric names are mapped to their canonical names ({@code auc} becomes {@code roc_auc}) so a
 * file written by scikit-learn or MLflow code meets the policy's names. NaN and Infinity (which
 * Python's json module writes) are read as such and left to the gate, which fails them.
 */
public final class MetricsFileReader {
    private MetricsFileReader() {
    }

    /**
     * The metrics in {@code file}: JSON when its first character (after a byte order mark and white
     * space) is <code>{</code> or {@code [}, or its name ends in {@code .json}; CSV otherwise. Read through {@link InputFiles}: a regular file,
     * gzip allowed, at most {@link InputFiles#MAX_TEXT_BYTES}.
     */
    public static MetricSet read(Path file) {
        String name = file.toString();
        String text = InputFiles.text(file, MetricsException::new);
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new MetricsException(name + ": file is empty");
        }
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[")
                || name.toLowerCase(Locale.ROOT).endsWith(".json") || name.toLowerCase(Locale.ROOT).endsWith(".json.gz");
        return json ? json(name, trimmed) : csv(name, text);
    }

    static MetricSet json(String name, String text) {
        JsonMapper mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
        JsonNode root;
        try (JsonParser parser = mapper.createParser(text)) {
            root = mapper.readTree(parser);
            // One document: anything after it (a second object, a stray brace, text) is a mistake,
            // which readTree alone would silently ignore.
            JsonToken next;
            try {
                next = parser.nextToken();
            } catch (JsonProcessingException e) {
                throw new MetricsException(name + where(e.getLocation()) + ": unexpected content after the JSON document");
            }
            if (next != null) {
                throw new MetricsException(name + where(parser.currentTokenLocation())
                        + ": unexpected content after the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw new MetricsException(name + where(e.getLocation()) + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("reading a String cannot fail", e);
        }
        if (root == null || !root.isObject()) {
            throw new MetricsException(name + ": expected a JSON object of metric names to numbers, found "
                    + (root == null ? "nothing" : article(root)));
        }
        Field doc = Field.root(name, root, MetricsException::new);
        if (!doc.has("overall") && !doc.has("slices")) {
            return new MetricSet(values(doc), Map.of());
        }
        doc.allow("overall", "slices");
        Map<String, Double> overall = doc.has("overall") ? values(doc.get("overall")) : Map.of();
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        Field s = doc.get("slices");
        if (s.isPresent() && !s.isMapping()) {
            throw s.error("expected an object of slice names to metrics");
        }
        for (String slice : s.keys()) {
            slices.put(slice, values(s.get(slice)));
        }
        return new MetricSet(overall, slices);
    }

    private static String where(JsonLocation loc) {
        return loc == null ? "" : " line " + loc.getLineNr() + ", column " + loc.getColumnNr();
    }

    /** "an array", "a number", ... */
    private static String article(JsonNode node) {
        if (node.isNull()) {
            return "null";
        }
        String type = node.getNodeType().name().toLowerCase(Locale.ROOT);
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }

    /** Metric names to numbers; null (as pandas writes a missing value) is NaN, and so is NaN itself. */
    private static Map<String, Double> values(Field node) {
        if (!node.isMapping()) {
            throw node.error("expected an object of metric names to numbers");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (String metric : node.keys()) {
            Field v = node.get(metric);
            put(out, metric, v.isAbsent() ? Double.NaN : v.anyNumber(), node.source() + ": " + v.path());
        }
        return out;
    }

    private static void put(Map<String, Double> out, String rawName, double value, String where) {
        String metric = Metric.canonical(rawName);
        if (metric.isEmpty()) {
            throw new MetricsException(where + ": empty metric name");
        }
        if (out.putIfAbsent(metric, value) != null) {
            throw new MetricsException(where + ": the metric " + metric + " is given twice (under another name?)");
        }
    }

    static MetricSet csv(String name, String text) {
        List<String> lines = text.lines().toList();
        Map<String, Double> overall = new LinkedHashMap<>();
        Map<String, Map<String, Double>> slices = new LinkedHashMap<>();
        List<String> header = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int lineNo = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            for (int j = 0; j < f.length; j++) {
                f[j] = unquote(f[j].strip());
            }
            if (header.isEmpty() && f.length >= 2 && f[0].equalsIgnoreCase("metric") && f[1].equalsIgnoreCase("value")) {
                for (int j = 0; j < f.length; j++) {
                    for (int k = 0; k < j; k++) {
                        if (f[k].equalsIgnoreCase(f[j])) {
                            throw new MetricsException(name + " line " + lineNo + ": column '" + f[j]
                                    + "' appears twice in the header");
                        }
                    }
                }
                header.add(line);
                continue;
            }
            if (f.length < 2 || f.length > 3) {
                throw new MetricsException(name + " line " + lineNo + ": expected metric,value[,slice], found "
                        + f.length + " field" + (f.length == 1 ? "" : "s"));
            }
            double value = parse(f[1], name + " line " + lineNo);
            String slice = f.length == 3 ? f[2] : "";
            String where = name + " line " + lineNo;
            if (slice.isEmpty() || slice.equals(Slices.OVERALL)) {
                put(overall, f[0], value, where);
            } else {
                put(slices.computeIfAbsent(slice, k -> new LinkedHashMap<>()), f[0], value, where);
            }
        }
        if (overall.isEmpty() && slices.isEmpty()) {
            throw new MetricsException(name + ": no metrics in file (expected lines metric,value[,slice])");
        }
        return new MetricSet(overall, slices);
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    private static double parse(String s, String where) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "nan", "" -> Double.NaN;
            case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
            case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw new MetricsException(where + ": value '" + s + "' is not a number");
                }
            }
        };
    }
}
