package io.modelgate.drift;

import io.modelgate.common.Field;
import io.modelgate.common.Suggest;
import io.modelgate.common.Yaml;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
    private static final Map<String, Boolean> PREDICTION_DRIFT = Field.choices(Map.entry("warn", false),
            Map.entry("fail", true));
    private static final Map<String, Boolean> TASKS = Field.choices(Map.entry("classification", true),
            Map.entry("regression", false));
    private static final Map<String, ColumnType> TYPES = Field.choices(Map.entry("auto", ColumnType.AUTO),
            Map.entry("numeric", ColumnType.NUMERIC), Map.entry("categorical", ColumnType.CATEGORICAL),
            Map.entry("numerical", ColumnType.NUMERIC), Map.entry("num", ColumnType.NUMERIC),
            Map.entry("category", ColumnType.CATEGORICAL), Map.entry("cat", ColumnType.CATEGORICAL));

    private DriftPolicyReader() {
    }

    public static DriftPolicy read(Path file) {
        return parse(file.toString(), Yaml.read(file, DriftException::new));
    }

    static DriftPolicy parse(String source, String yaml) {
        Field root = Field.parse(source, yaml, DriftException::new);
        DriftPolicy d = DriftPolicy.defaults();
        if (root.isAbsent()) {
            // A policy file given on purpose that holds nothing is a truncated or wrong file, not "the defaults".
            throw root.error("the drift policy is empty; leave out --policy to use the defaults");
        }
        root.mapping().allow(TOP_KEYS).requireVersion(1);
        Field shareField = root.get("drift_share");
        double share = shareField.number(d.driftShare());
        if (!(share > 0 && share <= 1)) {
            throw shareField.error("must be a share above 0 and at most 1, found " + shareField.describe());
        }
        int small = (int) root.get("small_reference_rows").count(0, Integer.MAX_VALUE, d.smallReference());
        Method method = method(root.get("method"), d.method());
        Field psi = root.get("psi");
        if (psi.isPresent()) {
            psi.mapping().allow(PSI_KEYS);
        }
        double warn = psi.get("warn").number(d.psiWarn());
        double fail = psi.get("fail").number(d.psiFail());
        if (!(warn > 0 && warn <= fail)) {
            throw psi.error("needs 0 < warn <= fail, found warn " + warn + " and fail " + fail);
        }
        String prediction = root.get("prediction_column").name(d.predictionColumn());
        String label = root.get("label_column").name(d.labelColumn());
        boolean predictionFails = root.get("prediction_drift").oneOf(d.predictionDriftFails(), PREDICTION_DRIFT);
        boolean classification = root.get("task").oneOf(d.classification(), TASKS);
        Map<String, ColumnPolicy> columns = new LinkedHashMap<>();
        Field ignore = root.get("ignore");
        if (ignore.isPresent() && !ignore.isList()) {
            throw ignore.error("must be a list of column names, found " + ignore.describe());
        }
        for (Field name : ignore.items()) {
            columns.put(name.name(), new ColumnPolicy(ColumnType.AUTO, Method.AUTO, Double.NaN, true));
        }
        Field cols = root.get("columns");
        if (cols.isPresent()) {
            cols.mapping();
        }
        for (String name : cols.keys()) {
            Field c = cols.get(name).mapping().allow(COLUMN_KEYS);
            ColumnType type = c.get("type").oneOf(ColumnType.AUTO, TYPES);
            Method m = method(c.get("method"), Method.AUTO);
            if (m != Method.AUTO && type != ColumnType.AUTO && !m.appliesTo(type)) {
                throw c.get("method").error(m.id() + " does not apply to a " + type.id() + " column");
            }
            double threshold = c.get("threshold").number(Double.NaN);
            boolean ignored = columns.containsKey(name) || c.get("ignore").bool(false);
            columns.put(name, new ColumnPolicy(type, m, threshold, ignored));
        }
        return new DriftPolicy(source, share, small, method, warn, fail, prediction, label, predictionFails,
                classification, columns);
    }

    private static Method method(Field f, Method fallback) {
        if (f.isAbsent()) {
            return fallback;
        }
        String given = f.name();
        return Method.byId(given).orElseThrow(() -> f.error("unknown method " + f.describe()
                + Suggest.hint(given, Arrays.asList(Method.knownIds().split(", "))) + "; known: " + Method.knownIds()));
    }
}
