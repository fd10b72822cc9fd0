package io.modelgate.metrics;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The metrics the engine computes from predictions, with their canonical names and directions. */
// Error Prone cannot see that aliases is List.of(...), which is unmodifiable: the enum is immutable.
@SuppressWarnings("ImmutableEnumChecker")
public enum Metric {
    ACCURACY("accuracy", true, Task.CLASSIFICATION),
    PRECISION("precision", true, Task.CLASSIFICATION),
    RECALL("recall", true, Task.CLASSIFICATION),
    F1("f1", true, Task.CLASSIFICATION, "f1_score"),
    ROC_AUC("roc_auc", true, Task.CLASSIFICATION, "auc", "roc_auc_score"),
    AVERAGE_PRECISION("average_precision", true, Task.CLASSIFICATION, "average_precision_score"),
    LOG_LOSS("log_loss", false, Task.CLASSIFICATION, "logloss", "binary_crossentropy"),
    BRIER_SCORE("brier_score", false, Task.CLASSIFICATION, "brier", "brier_score_loss"),
    RMSE("rmse", false, Task.REGRESSION, "root_mean_squared_error"),
    MAE("mae", false, Task.REGRESSION, "mean_absolute_error"),
    R2("r2", true, Task.REGRESSION, "r2_score", "r_squared"),
    /** Number of examples; computed for both tasks. */
    EXAMPLE_COUNT("example_count", true, null, "count", "n");

    private final String id;
    private final boolean greaterIsBetter;
    private final Task task;
    private final List<String> aliases;

    Metric(String id, boolean greaterIsBetter, Task task, String... aliases) {
        this.id = id;
        this.greaterIsBetter = greaterIsBetter;
        this.task = task;
        this.aliases = List.of(aliases);
    }

    /** The canonical name, as written in reports and metrics files the engine writes. */
    public String id() {
        return id;
    }

    public boolean greaterIsBetter() {
        return greaterIsBetter;
    }

    /** Whether the engine computes this metric for predictions of the given task. */
    public boolean appliesTo(Task t) {
        return task == null || task == t;
    }

    /** Finds a metric by its name or an alias (as scikit-learn or MLflow spell it), ignoring case. */
    public static Optional<Metric> byName(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(m -> m.id.equals(n) || m.aliases.contains(n))
                .findFirst();
    }

    /** The canonical name for a known metric, or the name unchanged for a custom one. */
    public static String canonical(String name) {
        return byName(name).map(Metric::id).orElse(name.trim());
    }

    /** All canonical names, for error messages. */
    public static String knownNames() {
        return Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", "));
    }
}
