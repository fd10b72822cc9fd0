package io.modelgate.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What one run of the digest benchmark measured. Times are wall-clock seconds.
 *
 * @param largeFile         the large file hashed
 * @param largeBytes        its size
 * @param ours              {@code DatasetDigester.digest} of the large file, one time a run (page cache warm)
 * @param openssl           {@code openssl dgst -sha256} of the same file as a process, one time a run; empty when not run
 * @param opensslNote       the openssl version, or why it was not run
 * @param digestsAgree      whether openssl printed the same digest (true when openssl was not run)
 * @param directory         the directory of small files
 * @param files             files in it
 * @param directoryBytes    their total size
 * @param threads           threads hashing the directory
 * @param coldSeconds       first digest of the directory with an empty cache, saving the cache included
 * @param coldFilesRead     files read by it
 * @param warmSeconds       loading the saved cache, re-digesting the unchanged directory and saving again
 * @param warmFilesRead     files read by it (0 when every file came from the cache)
 * @param changedSeconds    the same after one byte of one file changed
 * @param changedFilesRead  files read by it
 * @param changeDetected    whether the directory digest changed
 * @param shaIntrinsics     whether the JVM uses its SHA-256 intrinsic (SHA-NI or AVX2), as far as it tells
 * @param finishedAt        when the run ended
 */
public record DigestBenchmarkResult(Path largeFile, long largeBytes, List<Double> ours, List<Double> openssl,
                                    String opensslNote, boolean digestsAgree, Path directory, int files,
                                    long directoryBytes, int threads, double coldSeconds, long coldFilesRead,
                                    double warmSeconds, long warmFilesRead, double changedSeconds,
                                    long changedFilesRead, boolean changeDetected, String shaIntrinsics,
                                    Instant finishedAt) {
    /** Our throughput on one large file over openssl's, at least. */
    public static final double TARGET_RATIO = 0.9;
    /** Re-digest of an unchanged directory of 10,000 files with the cache, at most, seconds. */
    public static final double TARGET_WARM_SECONDS = 1.0;

    public DigestBenchmarkResult {
        ours = List.copyOf(ours);
        openssl = List.copyOf(openssl);
    }

    /** Best (least disturbed) of our runs, MB/s (10^6 bytes). */
    public double oursMBps() {
        return mbps(min(ours));
    }

    /** Median of our runs, MB/s. */
    public double oursMedianMBps() {
        return mbps(median(ours));
    }

    /** Best of openssl's runs, MB/s; NaN when not run. */
    public double opensslMBps() {
        return openssl.isEmpty() ? Double.NaN : mbps(min(openssl));
    }

    public double opensslMedianMBps() {
        return openssl.isEmpty() ? Double.NaN : mbps(median(openssl));
    }

    /** Best over best; NaN when openssl was not run. */
    public double ratio() {
        return oursMBps() / opensslMBps();
    }

    public double medianRatio() {
        return oursMedianMBps() / opensslMedianMBps();
    }

    public boolean meetsThroughputTarget() {
        return !openssl.isEmpty() && digestsAgree && ratio() >= TARGET_RATIO;
    }

    public boolean meetsWarmTarget() {
        return warmSeconds <= TARGET_WARM_SECONDS && warmFilesRead == 0;
    }

    /** Several lines for people. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "digest benchmark: one file of %,d MB (page cache warmed by reading it once), %d runs each%n",
                largeBytes / 1_000_000, ours.size()));
        s.append(String.format(Locale.ROOT, "  modelgate    best %7.0f MB/s, median %7.0f MB/s  (%s s)%n", oursMBps(),
                oursMedianMBps(), times(ours)));
        if (openssl.isEmpty()) {
            s.append("  openssl      not run: ").append(opensslNote).append(System.lineSeparator());
        } else {
            s.append(String.format(Locale.ROOT, "  openssl      best %7.0f MB/s, median %7.0f MB/s  (%s s; %s, as a process)%n",
                    opensslMBps(), opensslMedianMBps(), times(openssl), opensslNote));
            s.append(String.format(Locale.ROOT, "  ratio        best %.2f, median %.2f  (target best >= %.1f: %s)%s%n", ratio(),
                    medianRatio(), TARGET_RATIO, meetsThroughputTarget() ? "met" : "MISSED",
                    digestsAgree ? "; same digest" : "; DIGESTS DIFFER"));
        }
        s.append(String.format(Locale.ROOT, "directory: %,d files, %,d MB, %d threads, %s%n", files,
                directoryBytes / 1_000_000, threads, directory));
        s.append(String.format(Locale.ROOT, "  cold cache   %.3f s, %,d files read%n", coldSeconds, coldFilesRead));
        s.append(String.format(Locale.ROOT, "  warm cache   %.3f s, %,d files read  (load + digest + save; target <= %.0f s: %s)%n",
                warmSeconds, warmFilesRead, TARGET_WARM_SECONDS, meetsWarmTarget() ? "met" : "MISSED"));
        s.append(String.format(Locale.ROOT, "  one byte changed  %.3f s, %,d files read, digest %s%n", changedSeconds,
                changedFilesRead, changeDetected ? "changed" : "UNCHANGED"));
        s.append(String.format(Locale.ROOT, "  %d cores, Java %s, SHA-256 intrinsic: %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), shaIntrinsics));
        return s.toString();
    }

    private double mbps(double seconds) {
        return largeBytes / 1e6 / seconds;
    }

    private static double min(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    private static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static String times(List<Double> xs) {
        return String.join(" ", xs.stream().map(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
    }
}
