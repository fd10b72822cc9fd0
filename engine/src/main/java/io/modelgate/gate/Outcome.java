package io.modelgate.gate;

/** The outcome of one threshold check. */
public enum Outcome {
    PASS,
    /** The check failed and its severity is {@code warn}. */
    WARN,
    /** The check failed and its severity is {@code fail}. */
    FAIL,
    /** Not checked: the slice is smaller than its minimum size, or there is no baseline to compare with. */
    SKIPPED
}
