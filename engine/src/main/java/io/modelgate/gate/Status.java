package io.modelgate.gate;

/** The verdict on a model as a whole; TFX calls PASS "blessed". */
public enum Status {
    PASS,
    WARN,
    FAIL
}
