package io.modelgate.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * What one run of the registry benchmark measured. Latencies are in milliseconds.
 *
 * @param registry      the registry directory that was built and measured
 * @param models        models in it
 * @param versions      versions in it, all models together
 * @param buildSeconds  wall time to register every version through the Java API (one commit each)
 * @param looseObjects  loose Git objects after the build
 * @param promote       in-process {@code Registry.promote} to staging, warm JVM
 * @param show          in-process {@code Registry.state} + {@code Registry.version}, warm JVM
 * @param verify        in-process {@code Registry.verify}: every object re-hashed, every event replayed
 * @param listTag       in-process {@code Registry.list} of every version with one tag (1 in 100 match)
 * @param cli           {@code modelgate registry promote} as a new process, wall time; empty when not run
 * @param cliResolve    {@code modelgate registry resolve NAME@staging} as a new process
 * @param cliList       {@code modelgate registry list --tag batch=N --limit 0} as a new process
 * @param cliNote       the command run end to end, or why it was not run
 * @param threads       cores the JVM could use
 * @param finishedAt    when the run ended
 */
public record RegistryBenchmarkResult(Path registry, int models, int versions, double buildSeconds, long looseObjects,
                                      Latency promote, Latency show, Latency verify, Latency listTag, Latency cli,
                                      Latency cliResolve, Latency cliList, String cliNote, int threads,
                                      Instant finishedAt) {

    /** Target for the median in-process promotion, ms. */
    public static final double TARGET_PROMOTE_MS = 20;
    /** Target for the median in-process show, ms. */
    public static final double TARGET_SHOW_MS = 5;
    /** Target for the median end-to-end CLI promotion, ms. */
    public static final double TARGET_CLI_MS = 1000;
    /** Target for the median end-to-end {@code registry resolve}, ms: a serving script asks it at start-up. */
    public static final double TARGET_RESOLVE_MS = 500;

    /**
     * Summary of samples, ms.
     *
     * @param samples how many were taken
     */
    public record Latency(int samples, double median, double p95, double max) {
        static final Latency NONE = new Latency(0, Double.NaN, Double.NaN, Double.NaN);

        static Latency of(double[] ms) {
            if (ms.length == 0) {
                return NONE;
            }
            double[] sorted = ms.clone();
            java.util.Arrays.sort(sorted);
            return new Latency(sorted.length, percentile(sorted, 0.5), percentile(sorted, 0.95), sorted[sorted.length - 1]);
        }

        private static double percentile(double[] sorted, double p) {
            int i = (int) Math.ceil(p * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
        }
    }

    public boolean meetsPromoteTarget() {
        return promote.median() <= TARGET_PROMOTE_MS;
    }

    public boolean meetsShowTarget() {
        return show.median() <= TARGET_SHOW_MS;
    }

    /** False when the end-to-end part was not run. */
    public boolean meetsCliTarget() {
        return cli.samples() > 0 && cli.median() <= TARGET_CLI_MS;
    }

    /** Several lines for people. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "registry benchmark: %d models, %,d versions, %s%n", models, versions, registry));
        s.append(String.format(Locale.ROOT, "  build        %,d registrations in %.1f s (%.2f ms each), %,d loose objects%n",
                versions, buildSeconds, buildSeconds * 1000 / Math.max(1, versions), looseObjects));
        s.append(line("promote", promote, TARGET_PROMOTE_MS, meetsPromoteTarget()));
        s.append(line("show", show, TARGET_SHOW_MS, meetsShowTarget()));
        s.append(line("verify", verify));
        s.append(line("list --tag", listTag));
        if (cli.samples() > 0) {
            s.append(line("cli promote", cli, TARGET_CLI_MS, meetsCliTarget()));
            s.append(line("cli resolve", cliResolve, TARGET_RESOLVE_MS, cliResolve.median() <= TARGET_RESOLVE_MS));
            s.append(line("cli list", cliList));
        }
        s.append("  end to end   ").append(cliNote).append(System.lineSeparator());
        s.append(String.format(Locale.ROOT, "  %d cores, Java %s%n", threads, System.getProperty("java.version")));
        return s.toString();
    }

    private static String line(String what, Latency l) {
        return String.format(Locale.ROOT, "  %-12s median %.2f ms, p95 %.2f ms, max %.2f ms over %d samples%n", what,
                l.median(), l.p95(), l.max(), l.samples());
    }

    private static String line(String what, Latency l, double target, boolean met) {
        return String.format(Locale.ROOT, "  %-12s median %.2f ms, p95 %.2f ms, max %.2f ms over %d samples  "
                + "(target median <= %.0f ms: %s)%n", what, l.median(), l.p95(), l.max(), l.samples(), target,
                met ? "met" : "MISSED");
    }
}
