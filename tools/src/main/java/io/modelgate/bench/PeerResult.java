package io.modelgate.bench;

/**
 * The pandas + scikit-learn peer's run of the same gate metrics.
 *
 * @param ran            whether it ran; when not, {@link #note} says why and the figures are NaN
 * @param note           the interpreter used, or why the peer did not run
 * @param wallSeconds    wall time of the whole Python process
 * @param readSeconds    the time it reported for {@code pandas.read_csv}
 * @param computeSeconds the time it reported for the metrics
 * @param rocAuc         its overall ROC AUC
 * @param logLoss        its log loss
 * @param accuracy       its accuracy
 */
public record PeerResult(boolean ran, String note, double wallSeconds, double readSeconds, double computeSeconds,
                         double rocAuc, double logLoss, double accuracy) {

    static PeerResult notRun(String why) {
        return new PeerResult(false, why, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
}
