package io.modelgate.metrics;

import java.nio.file.Path;

/** Reads a predictions CSV (optionally gzip-compressed) into primitive arrays. */
public final class PredictionsReader {
    private PredictionsReader() {
    }

    public static Predictions read(Path file, PredictionsFormat format) {
        throw new UnsupportedOperationException("being written");
    }
}
