package io.modelgate.gate;

/** What a threshold compares. */
public enum CheckKind {
    /** The candidate's value against a fixed bound. */
    VALUE("threshold"),
    /** candidate - baseline (baseline - candidate when lower is better) against a bound. */
    ABSOLUTE_CHANGE("min_absolute_change"),
    /** The absolute change divided by |baseline| against a bound. */
    RELATIVE_CHANGE("min_relative_change");

    private final String policyKey;

    CheckKind(String policyKey) {
        this.policyKey = policyKey;
    }

    /** The key that sets this check in a policy file. */
    public String policyKey() {
        return policyKey;
    }

    public boolean needsBaseline() {
        return this != VALUE;
    }
}
