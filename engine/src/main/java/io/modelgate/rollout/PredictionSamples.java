package io.modelgate.rollout;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;

/**
 * The predictions of a shadow rollout: the number a JSON pointer picks from each answer to a mirrored
 * request, kept per version as a bounded uniform sample since counting started. Thread-safe.
 */
final class PredictionSamples {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Answers longer than this are not parsed for a prediction: a model's answer is small. */
    private static final int MAX_BODY = 1 << 20;

    private final JsonPointer pointer;
    private final EmbeddedLatencyReservoir stable;
    private final EmbeddedLatencyReservoir canary;
    private long unscored;

    /** @param pointer the plan's {@code traffic.score}; empty to keep no predictions */
    PredictionSamples(String pointer, int capacity, long seed) {
        this.pointer = pointer.isEmpty() ? null : JsonPointer.compile(pointer);
        this.stable = new EmbeddedLatencyReservoir(capacity, seed);
        this.canary = new EmbeddedLatencyReservoir(capacity, seed + 1);
    }

    /** The stable version's answer to a mirrored request (null: it failed). */
    void stable(byte[] body) {
        record(stable, body);
    }

    /** The canary's answer to a mirrored request (null: it failed). */
    void canary(byte[] body) {
        record(canary, body);
    }

    private void record(EmbeddedLatencyReservoir into, byte[] body) {
        if (pointer == null || body == null) {
            return;
        }
        double score = score(body);
        synchronized (this) {
            if (Double.isFinite(score)) {
                into.record(score);
            } else {
                unscored++;
            }
        }
    }

    /** The number at the pointer; NaN when the body is not JSON or holds no number there. */
    double score(byte[] body) {
        if (body.length > MAX_BODY) {
            return Double.NaN;
        }
        try {
            JsonNode n = JSON.readTree(body);
            JsonNode at = n == null ? null : n.at(pointer);
            return at != null && at.isNumber() ? at.doubleValue() : Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }

    synchronized Observations.Predictions snapshot() {
        return new Observations.Predictions(stable.snapshot(), canary.snapshot(), unscored);
    }

    synchronized void clear() {
        stable.clear();
        canary.clear();
        unscored = 0;
    }
}
