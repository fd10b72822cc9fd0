package io.modelgate.drift;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A drift method, its default threshold and how the threshold is read: a p-value below it, or a
 * distance at or above it, means drift. AUTO picks as Evidently does (see {@link Drift}).
 */
public enum Method {
    AUTO("auto", "automatic", Double.NaN, false, true, true),
    KS("ks", "Kolmogorov-Smirnov p-value", 0.05, true, true, false),
    CHI_SQUARE("chisquare", "chi-square p-value", 0.05, true, true, true),
    WASSERSTEIN("wasserstein", "Wasserstein distance (normed)", 0.1, false, true, false),
    JENSEN_SHANNON("jensenshannon", "Jensen-Shannon distance", 0.1, false, true, true),
    PSI("psi", "PSI", 0.25, false, true, true);

    private final String id;
    private final String display;
    private final double defaultThreshold;
    private final boolean pValue;
    private final boolean numeric;
    private final boolean categorical;

    Method(String id, String display, double defaultThreshold, boolean pValue, boolean numeric, boolean categorical) {
        this.id = id;
        this.display = display;
        this.defaultThreshold = defaultThreshold;
        this.pValue = pValue;
        this.numeric = numeric;
        this.categorical = categorical;
    }

    public String id() {
        return id;
    }

    public String display() {
        return display;
    }

    /** For PSI the fail band's lower edge; the warn band comes from the policy. */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** Whether the score is a p-value (drift below the threshold) rather than a distance (drift at or above). */
    public boolean isPValue() {
        return pValue;
    }

    public boolean appliesTo(ColumnType type) {
        return type == ColumnType.NUMERIC ? numeric : categorical;
    }

    public static Optional<Method> byId(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return Arrays.stream(values()).filter(m -> m.id.equals(s)
                || (m == CHI_SQUARE && s.equals("chi2")) || (m == JENSEN_SHANNON && s.equals("js"))).findFirst();
    }

    public static String knownIds() {
        return String.join(", ", Arrays.stream(values()).map(Method::id).toList());
    }
}
