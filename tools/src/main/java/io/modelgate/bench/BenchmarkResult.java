package io.modelgate.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * What one run of the gate benchmark measured.
 *
 * @param file            the predictions CSV that was read
 * @param rows            rows in it
 * @param fileBytes       its size
 * @param parseSeconds    wall time of {@code PredictionsReader.read}
 * @param computeSeconds  wall time of {@code MetricsCalculator.compute} (all metrics, all slices)
 * @param intervalSeconds wall time of {@code Uncertainty.estimate} after it (every metric's interval, all slices)
 * @param peakHeapBytes   the most heap in use at any sample during parse and compute (sampled
 *                        every few milliseconds; includes garbage not yet collected)
 * @param maxHeapBytes    the JVM's heap limit ({@code -Xmx})
 * @param threads         cores the JVM could use
 * @param rocAuc          overall ROC AUC the engine computed
 * @param logLoss         overall log loss
 * @param accuracy        overall accuracy at threshold 0.5
 * @param slices          number of slices metrics were computed for
 * @param peer            the pandas + scikit-learn run on the same file, or why there was none
 * @param finishedAt      when the run ended
 */
public record BenchmarkResult(Path file, long rows, long fileBytes, double parseSeconds, double computeSeconds,
                              double intervalSeconds, long peakHeapBytes, long maxHeapBytes, int threads, double rocAuc, double logLoss,
                              double accuracy, int slices, PeerResult peer, Instant finishedAt) {

    /** Wall-time target for parse + compute, seconds. */
    public static final double TARGET_SECONDS = 3.0;
    /** Heap target, bytes. */
    public static final long TARGET_HEAP_BYTES = 1L << 30;
    /** How many times faster than the peer (in-process read + compute) we want to be. */
    public static final double TARGET_SPEEDUP = 3.0;

    /** Parse plus compute: the gate's own work on the predictions. */
    public double totalSeconds() {
        return parseSeconds + computeSeconds;
    }

    /** Peer's in-process time (read_csv + metrics) divided by ours; NaN without a peer run. */
    public double speedup() {
        return peer.ran() ? (peer.readSeconds() + peer.computeSeconds()) / totalSeconds() : Double.NaN;
    }

    /** Peer's process wall time (interpreter start, imports, read, metrics) divided by ours. */
    public double speedupEndToEnd() {
        return peer.ran() ? peer.wallSeconds() / totalSeconds() : Double.NaN;
    }

    public boolean meetsTimeTarget() {
        return totalSeconds() <= TARGET_SECONDS;
    }

    public boolean meetsHeapTarget() {
        return peakHeapBytes <= TARGET_HEAP_BYTES;
    }

    /** Several lines for people. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "gate benchmark: %,d rows, %.1f MB, %s%n", rows, fileBytes / 1e6, file));
        s.append(String.format(Locale.ROOT, "  modelgate   parse %.3f s + compute %.3f s = %.3f s  (target <= %.1f s: %s)%n",
                parseSeconds, computeSeconds, totalSeconds(), TARGET_SECONDS, meetsTimeTarget() ? "met" : "MISSED"));
        s.append(String.format(Locale.ROOT, "              intervals of every metric %.3f s more (Uncertainty.estimate): "
                        + "%.2fx the metrics alone, %.3f s in all%n", intervalSeconds, (computeSeconds + intervalSeconds)
                        / computeSeconds, totalSeconds() + intervalSeconds));
        s.append(String.format(Locale.ROOT, "              peak heap used %.0f MB of max %.0f MB  (target <= %.0f MB: %s), %d cores%n",
                peakHeapBytes / 1048576.0, maxHeapBytes / 1048576.0, TARGET_HEAP_BYTES / 1048576.0,
                meetsHeapTarget() ? "met" : "MISSED", threads));
        s.append(String.format(Locale.ROOT, "              roc_auc %.10f  log_loss %.10f  accuracy %.6f  (%d slices)%n",
                rocAuc, logLoss, accuracy, slices));
        if (peer.ran()) {
            s.append(String.format(Locale.ROOT, "  pandas+sklearn  read_csv %.3f s + metrics %.3f s = %.3f s; process wall %.3f s%n",
                    peer.readSeconds(), peer.computeSeconds(), peer.readSeconds() + peer.computeSeconds(),
                    peer.wallSeconds()));
            s.append(String.format(Locale.ROOT, "              roc_auc %.10f  log_loss %.10f  accuracy %.6f%n",
                    peer.rocAuc(), peer.logLoss(), peer.accuracy()));
            s.append(String.format(Locale.ROOT, "  speed-up     %.1fx in-process, %.1fx end to end  (target >= %.0fx: %s)%n",
                    speedup(), speedupEndToEnd(), TARGET_SPEEDUP, speedup() >= TARGET_SPEEDUP ? "met" : "MISSED"));
            s.append(String.format(Locale.ROOT, "  agreement    |roc_auc diff| %.1e, |log_loss diff| %.1e, |accuracy diff| %.1e%n",
                    Math.abs(rocAuc - peer.rocAuc()), Math.abs(logLoss - peer.logLoss()),
                    Math.abs(accuracy - peer.accuracy())));
        } else {
            s.append("  pandas+sklearn  not run: ").append(peer.note()).append(System.lineSeparator());
        }
        return s.toString();
    }
}
