package io.modelgate.drift;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Our statistics against SciPy's own functions on the same vectors, when python3 has SciPy
 * (Debian: python3-scipy, which scripts/test installs): ks_2samp, chisquare, wasserstein_distance,
 * jensenshannon, and Evidently's PSI binning written with NumPy. Agreement to 1e-9, except KS
 * p-values in the asymptotic region SciPy computes with the Durbin matrix (we use Pelz-Good): 1e-6.
 */
class ScipyAgreementTest {
    @TempDir
    Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();

    static final String SCRIPT = """
            import json, sys
            import numpy as np
            from scipy import stats
            from scipy.spatial import distance
            cases = json.load(open(sys.argv[1]))
            out = {}
            def binned(ref, cur, numeric):
                # Evidently's get_binned_data, written out
                ref = np.asarray(ref); cur = np.asarray(cur)
                if numeric and len(np.unique(ref)) > 20:
                    bins = np.histogram_bin_edges(np.concatenate([ref, cur]), bins="sturges")
                    r = np.histogram(ref, bins)[0] / len(ref)
                    c = np.histogram(cur, bins)[0] / len(cur)
                else:
                    keys = sorted(set(ref.tolist()) | set(cur.tolist()))
                    r = np.array([np.sum(ref == k) / len(ref) for k in keys])
                    c = np.array([np.sum(cur == k) / len(cur) for k in keys])
                return r, c
            def fill(p):
                p = p.copy()
                m = min(p[p != 0])
                np.place(p, p == 0, m / 10**6 if m <= 0.0001 else 0.0001)
                return p
            for name, case in cases.items():
                a = np.asarray(case["a"], dtype=float); b = np.asarray(case["b"], dtype=float)
                r = {}
                if case["kind"] == "ks":
                    res = stats.ks_2samp(a, b)
                    r = {"statistic": float(res.statistic), "p": float(res.pvalue)}
                elif case["kind"] == "chisquare":
                    res = stats.chisquare(a, b)
                    r = {"statistic": float(res.statistic), "p": float(res.pvalue)}
                elif case["kind"] == "wasserstein":
                    r = {"value": float(stats.wasserstein_distance(a, b)),
                         "normed": float(stats.wasserstein_distance(a, b) / max(np.std(a), 0.001))}
                elif case["kind"] == "jensenshannon":
                    r = {"value": float(distance.jensenshannon(a, b, 2))}
                elif case["kind"] == "binned":
                    rp, cp = binned(a, b, True)
                    js = float(distance.jensenshannon(rp, cp, 2))
                    rf, cf = fill(rp), fill(cp)
                    psi = float(np.sum((rf - cf) * np.log(rf / cf)))
                    r = {"js": js, "psi": psi}
                out[name] = r
            json.dump(out, sys.stdout)
            """;

    static boolean scipyAvailable() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import scipy").redirectErrorStream(true).start();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static double[] normal(SplittableRandom r, int n, double mean, double sd, int decimals) {
        double[] x = new double[n];
        double scale = Math.pow(10, decimals);
        for (int i = 0; i < n; i++) {
            double g = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
            x[i] = Math.round((mean + sd * g) * scale) / scale;
        }
        return x;
    }

    private static double[] sorted(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s;
    }

    @Test
    void statisticsAgreeWithScipy() throws Exception {
        Assumptions.assumeTrue(scipyAvailable(), "python3 with scipy is not installed (apt-get install python3-scipy)");
        SplittableRandom r = new SplittableRandom(20240501);
        Map<String, double[][]> cases = new LinkedHashMap<>();
        Map<String, String> kinds = new LinkedHashMap<>();
        // KS, exact region: unequal sizes, equal sizes, heavy ties, a clear shift, identical samples
        put(cases, kinds, "ks_unequal", "ks", normal(r, 50, 0, 1, 6), normal(r, 80, 0.3, 1, 6));
        put(cases, kinds, "ks_equal", "ks", normal(r, 200, 0, 1, 6), normal(r, 200, 0.1, 1, 6));
        put(cases, kinds, "ks_ties", "ks", normal(r, 300, 5, 2, 0), normal(r, 450, 5.2, 2, 0));
        put(cases, kinds, "ks_shift", "ks", normal(r, 1000, 0, 1, 4), normal(r, 3000, 0.5, 1, 4));
        put(cases, kinds, "ks_big_exact", "ks", normal(r, 1000, 0, 1, 4), normal(r, 10000, 0.05, 1, 4));
        double[] same = normal(r, 120, 0, 1, 3);
        put(cases, kinds, "ks_same", "ks", same, same.clone());
        // KS, asymptotic region (more than 10,000 values): Smirnov's sum and 1 - CDF
        put(cases, kinds, "ks_asymp_far", "ks", normal(r, 900, 0, 1, 4), normal(r, 12000, 0.3, 1, 4));
        put(cases, kinds, "ks_asymp_near", "ks", normal(r, 900, 0, 1, 4), normal(r, 12000, 0.03, 1, 4));
        // chi-square: observed counts against scaled reference counts
        put(cases, kinds, "chi_close", "chisquare", new double[] {48, 30, 22}, new double[] {50, 28, 22});
        put(cases, kinds, "chi_far", "chisquare", new double[] {10, 70, 20, 900}, new double[] {250, 250, 250, 250});
        // Wasserstein
        put(cases, kinds, "wd", "wasserstein", normal(r, 1000, 0, 1, 6), normal(r, 1500, 0.2, 1.3, 6));
        put(cases, kinds, "wd_ties", "wasserstein", normal(r, 5000, 10, 3, 0), normal(r, 7000, 11, 3, 0));
        // Jensen-Shannon of frequency vectors (one zero)
        put(cases, kinds, "js", "jensenshannon", new double[] {0.5, 0.3, 0.2, 0}, new double[] {0.4, 0.3, 0.2, 0.1});
        // Evidently's binning for PSI and JS: Sturges bins over both samples
        put(cases, kinds, "binned", "binned", normal(r, 2000, 0, 1, 5), normal(r, 3000, 0.4, 1.2, 5));
        put(cases, kinds, "binned_pow2", "binned", normal(r, 1024, 0, 1, 3), normal(r, 1024, 0.1, 1, 3));

        ObjectNode input = JSON.createObjectNode();
        cases.forEach((name, ab) -> {
            ObjectNode c = input.putObject(name);
            c.put("kind", kinds.get(name));
            ArrayNode a = c.putArray("a");
            Arrays.stream(ab[0]).forEach(a::add);
            ArrayNode b = c.putArray("b");
            Arrays.stream(ab[1]).forEach(b::add);
        });
        Path in = dir.resolve("cases.json");
        JSON.writeValue(in.toFile(), input);
        Path script = Files.writeString(dir.resolve("scipy_drift.py"), SCRIPT);
        Process p = new ProcessBuilder("python3", script.toString(), in.toString())
                .redirectError(dir.resolve("stderr.txt").toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("stderr.txt"))).isZero();
        JsonNode scipy = JSON.readTree(new String(out, StandardCharsets.UTF_8));

        for (var e : cases.entrySet()) {
            String name = e.getKey();
            double[] a = e.getValue()[0];
            double[] b = e.getValue()[1];
            JsonNode expected = scipy.get(name);
            switch (kinds.get(name)) {
                case "ks" -> {
                    DriftStatistics.Test t = DriftStatistics.ks(sorted(a), sorted(b));
                    assertThat(t.statistic()).as(name + " D").isCloseTo(expected.get("statistic").asDouble(), within(1e-12));
                    double tolerance = name.equals("ks_asymp_near") ? 1e-6 : 1e-9;
                    assertThat(t.pValue()).as(name + " p").isCloseTo(expected.get("p").asDouble(), within(tolerance));
                }
                case "chisquare" -> {
                    DriftStatistics.Test t = DriftStatistics.chiSquare(a, b);
                    assertThat(t.statistic()).as(name).isCloseTo(expected.get("statistic").asDouble(), within(1e-9));
                    assertThat(t.pValue()).as(name).isCloseTo(expected.get("p").asDouble(), within(1e-9));
                }
                case "wasserstein" -> {
                    assertThat(DriftStatistics.wasserstein(sorted(a), sorted(b))).as(name)
                            .isCloseTo(expected.get("value").asDouble(), within(1e-9));
                    assertThat(DriftStatistics.normedWasserstein(sorted(a), sorted(b))).as(name)
                            .isCloseTo(expected.get("normed").asDouble(), within(1e-9));
                }
                case "jensenshannon" -> assertThat(DriftStatistics.jensenShannon(a, b)).as(name)
                        .isCloseTo(expected.get("value").asDouble(), within(1e-9));
                case "binned" -> {
                    Binned bins = Binned.numeric(sorted(a), sorted(b), false);
                    assertThat(DriftStatistics.jensenShannon(bins.reference(), bins.current())).as(name + " js")
                            .isCloseTo(expected.get("js").asDouble(), within(1e-9));
                    double[] rf = bins.reference().clone();
                    double[] cf = bins.current().clone();
                    DriftStatistics.fillZeroes(rf);
                    DriftStatistics.fillZeroes(cf);
                    assertThat(DriftStatistics.psi(rf, cf)).as(name + " psi")
                            .isCloseTo(expected.get("psi").asDouble(), within(1e-9));
                }
                default -> throw new AssertionError(name);
            }
        }
    }

    private static void put(Map<String, double[][]> cases, Map<String, String> kinds, String name, String kind,
                            double[] a, double[] b) {
        cases.put(name, new double[][] {a, b});
        kinds.put(name, kind);
    }
}
