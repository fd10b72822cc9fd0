package io.modelgate.drift;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelgate.common.Suggest;
import io.modelgate.common.Yaml;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a drift policy (YAML), strictly like the gate's: an unknown key is an error with a "did you
 * mean", because a misspelt setting silently ignored would judge drift by defaults nobody chose.
 * The format is in {@code docs/drift.md}.
 */
public final class DriftPolicyReader {
    private static final Set<String> TOP_KEYS = Set.of("version", "drift_share", "small_reference_rows", "method", "psi",
            "prediction_column", "label_column", "prediction_drift", "task", "ignore", "columns");
    private static final Set<String> PSI_KEYS = Set.of("warn", "fail");
    private static final Set<String> COLUMN_KEYS = Set.of("type", "method", "threshold", "ignore");

    private DriftPolicyReader() {
    }

    public static DriftPolicy read(Path file) {
        return parse(file.toString(), Yaml.read(file, DriftException::new));
    }

    static DriftPolicy parse(String source, String yaml) {
        JsonNode root = Yaml.parse(source, yaml, DriftException::new);
        DriftPolicy d = DriftPolicy.defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            // A policy file given on purpose that holds nothing is a truncated or wrong file, not "the defaults".
            throw new DriftException(source + ": the drift policy is empty; leave out --policy to use the defaults");
        }
        Parser p = new Parser(source);
        p.requireObject(root, "");
        p.checkKeys(root, "", TOP_KEYS);
        if (root.has("version") && root.get("version").asInt(-1) != 1) {
            throw p.error("version", "unsupported version '" + root.get("version").asText() + "'; this Modelgate reads version 1");
        }
        double share = p.number(root, "drift_share", "", d.driftShare());
        if (!(share > 0 && share <= 1)) {
            throw p.error("drift_share", "must be a share above 0 and at most 1, found " + share);
        }
        double small = p.number(root, "small_reference_rows", "", d.smallReference());
        if (small < 0 || small != Math.rint(small)) {
            throw p.error("small_reference_rows", "must be a whole number >= 0");
        }
        Method method = p.method(root, "method", "", d.method());
        double warn = d.psiWarn();
        double fail = d.psiFail();
        JsonNode psi = root.get("psi");
        if (psi != null && !psi.isNull()) {
            p.requireObject(psi, "psi");
            p.checkKeys(psi, "psi", PSI_KEYS);
            warn = p.number(psi, "warn", "psi", warn);
            fail = p.number(psi, "fail", "psi", fail);
            if (!(warn > 0 && warn <= fail)) {
                throw p.error("psi", "needs 0 < warn <= fail, found warn " + warn + " and fail " + fail);
            }
        }
        String prediction = p.text(root, "prediction_column", "", d.predictionColumn());
        String label = p.text(root, "label_column", "", d.labelColumn());
        boolean predictionFails = switch (p.text(root, "prediction_drift", "", "warn").toLowerCase(Locale.ROOT)) {
            case "warn" -> false;
            case "fail" -> true;
            default -> throw p.error("prediction_drift", "must be 'warn' or 'fail', found '"
                    + root.get("prediction_drift").asText() + "'");
        };
        boolean classification = switch (p.text(root, "task", "", "classification").toLowerCase(Locale.ROOT)) {
            case "classification" -> true;
            case "regression" -> false;
            default -> throw p.error("task", "must be 'classification' or 'regression', found '"
                    + root.get("task").asText() + "'");
        };
        Map<String, ColumnPolicy> columns = new LinkedHashMap<>();
        JsonNode ignore = root.get("ignore");
        if (ignore != null && !ignore.isNull()) {
            if (!ignore.isArray()) {
                throw p.error("ignore", "must be a list of column names, found " + Parser.describe(ignore));
            }
            ignore.forEach(n -> columns.put(n.asText(), new ColumnPolicy(ColumnType.AUTO, Method.AUTO, Double.NaN, true)));
        }
        JsonNode cols = root.get("columns");
        if (cols != null && !cols.isNull()) {
            p.requireObject(cols, "columns");
            for (Iterator<Map.Entry<String, JsonNode>> it = cols.fields(); it.hasNext(); ) {
                var e = it.next();
                String path = "columns." + e.getKey();
                JsonNode c = e.getValue();
                p.requireObject(c, path);
                p.checkKeys(c, path, COLUMN_KEYS);
                ColumnType type = switch (p.text(c, "type", path, "auto").toLowerCase(Locale.ROOT)) {
                    case "auto" -> ColumnType.AUTO;
                    case "numeric", "numerical", "num" -> ColumnType.NUMERIC;
                    case "categorical", "category", "cat" -> ColumnType.CATEGORICAL;
                    default -> throw p.error(path + ".type", "must be 'numeric' or 'categorical', found '"
                            + c.get("type").asText() + "'");
                };
                Method m = p.method(c, "method", path, Method.AUTO);
                if (m != Method.AUTO && type != ColumnType.AUTO && !m.appliesTo(type)) {
                    throw p.error(path + ".method", m.id() + " does not apply to a " + type.id() + " column");
                }
                double threshold = p.number(c, "threshold", path, Double.NaN);
                boolean ignored = columns.containsKey(e.getKey()) || p.bool(c, "ignore", path, false);
                columns.put(e.getKey(), new ColumnPolicy(type, m, threshold, ignored));
            }
        }
        return new DriftPolicy(source, share, (int) small, method, warn, fail, prediction, label, predictionFails,
                classification, columns);
    }

    private static DriftPolicy withSource(DriftPolicy d, String source) {
        return new DriftPolicy(source, d.driftShare(), d.smallReference(), d.method(), d.psiWarn(), d.psiFail(),
                d.predictionColumn(), d.labelColumn(), d.predictionDriftFails(), d.classification(), d.columns());
    }

    private record Parser(String source) {
        Method method(JsonNode node, String key, String path, Method fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            return Method.byId(v.asText()).orElseThrow(() -> {
                String hint = Suggest.closest(v.asText(), Method.knownIds().split(", "))
                        .map(s -> " (did you mean '" + s + "'?)").orElse("");
                return error(join(path, key), "unknown method '" + v.asText() + "'" + hint + "; known: " + Method.knownIds());
            });
        }

        double number(JsonNode node, String key, String path, double fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                throw error(join(path, key), "must be a number, found " + describe(v));
            }
            return v.asDouble();
        }

        String text(JsonNode node, String key, String path, String fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isValueNode() || v.asText().isBlank()) {
                throw error(join(path, key), "must be a name, found " + describe(v));
            }
            return v.asText().strip();
        }

        boolean bool(JsonNode node, String key, String path, boolean fallback) {
            JsonNode v = node.get(key);
            if (v == null || v.isNull()) {
                return fallback;
            }
            if (!v.isBoolean()) {
                throw error(join(path, key), "must be true or false, found " + describe(v));
            }
            return v.asBoolean();
        }

        void requireObject(JsonNode node, String path) {
            if (!node.isObject()) {
                throw error(path, "must be a mapping of keys to values, found " + describe(node));
            }
        }

        void checkKeys(JsonNode node, String path, Set<String> allowed) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    String hint = Suggest.closest(key, allowed.toArray(String[]::new))
                            .map(s -> " (did you mean '" + s + "'?)").orElse("");
                    throw error(join(path, key), "unknown key '" + key + "'" + hint + "; allowed: "
                            + String.join(", ", allowed.stream().sorted().toList()));
                }
            }
        }

        static String describe(JsonNode v) {
            if (v == null || v.isNull()) {
                return "nothing";
            }
            if (v.isObject()) {
                return "a mapping";
            }
            if (v.isArray()) {
                return "a list";
            }
            return "'" + v.asText() + "'";
        }

        static String join(String path, String key) {
            return path.isEmpty() ? key : path + "." + key;
        }

        DriftException error(String path, String message) {
            return new DriftException(source + (path.isEmpty() ? "" : ": " + path) + ": " + message);
        }
    }
}
