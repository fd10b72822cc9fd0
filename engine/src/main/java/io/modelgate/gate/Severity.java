package io.modelgate.gate;

/** What a failed threshold does to the verdict. */
public enum Severity {
    /** The verdict becomes FAIL. */
    FAIL,
    /** The verdict becomes WARN at worst. */
    WARN
}
