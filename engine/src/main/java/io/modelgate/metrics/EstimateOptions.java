package io.modelgate.metrics;

/**
 * How the estimators work: the intervals' confidence, the bootstrap's seed (each scope draws its
 * own stream from it), the largest scope that is bootstrapped, and how many replicates it draws.
 */
record EstimateOptions(double confidence, long seed, int bootstrapMaxRows, int replicates) {
    /** The documented defaults: small scopes bootstrapped, the rest by the delta method. */
    static EstimateOptions defaults(double confidence, long seed) {
        return new EstimateOptions(confidence, seed, PoissonBootstrap.MAX_ROWS, PoissonBootstrap.REPLICATES);
    }

    /** The bootstrap's random stream for one scope. */
    PoissonBootstrap.Weights weights(int scope) {
        return new PoissonBootstrap.Weights(PoissonBootstrap.stream(seed, scope));
    }
}
