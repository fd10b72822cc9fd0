package io.modelgate.rollout;

/**
 * Requests and errors served by one target, cumulative since the canary started.
 *
 * @param requests requests answered
 * @param errors   of those, failures (HTTP 5xx or connection errors)
 */
public record Counts(long requests, long errors) {
    public Counts {
        if (requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("counts must satisfy 0 <= errors <= requests: " + errors + "/" + requests);
        }
    }

    public static final Counts ZERO = new Counts(0, 0);

    /** Errors per request; NaN with no requests. */
    public double errorRate() {
        return requests == 0 ? Double.NaN : (double) errors / requests;
    }

    public Counts plus(Counts o) {
        return new Counts(requests + o.requests, errors + o.errors);
    }
}
