package io.modelgate.gate;

/** How a check reads a measured value. */
public enum CheckMode {
    /**
     * A check fails only when the value (or the change) is beyond its bound with the policy's
     * confidence, given the value's sampling error: noise alone rarely fails it.
     */
    SIGNIFICANCE,
    /** A check fails when the point value is beyond the bound, however few rows it rests on. */
    POINT
}
