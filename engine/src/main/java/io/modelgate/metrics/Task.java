package io.modelgate.metrics;

/** What the model predicts, which decides how labels are read and which metrics are computed. */
public enum Task {
    /** Binary classification: labels 0/1 (or true/false), scores are probabilities of class 1. */
    CLASSIFICATION,
    /** Regression: labels and scores are any finite numbers. */
    REGRESSION
}
