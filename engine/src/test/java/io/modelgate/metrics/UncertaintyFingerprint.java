package io.modelgate.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A digest of every bit of the estimates of fixed data, big enough that the work is split (more
 * than one block of rows, several slice scopes bootstrapped and walked in parallel). Run as a main
 * class in a JVM that sees a given number of processors, to compare thread counts.
 */
final class UncertaintyFingerprint {
    private UncertaintyFingerprint() {
    }

    static String fingerprint() {
        int n = ScopeLayout.BLOCK + 60_000;
        SplittableRandom random = new SplittableRandom(77);
        double[] y = new double[n];
        double[] s = new double[n];
        double[] target = new double[n];
        double[] fitted = new double[n];
        int[] codes = new int[n];
        int[] second = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(4) == 0 ? 1 : 0;
            s[i] = Math.round(1000 / (1 + Math.exp(-(UncertaintyTestData.gaussian(random) + y[i])))) / 1000.0;
            fitted[i] = UncertaintyTestData.gaussian(random);
            target[i] = fitted[i] + 0.5 * UncertaintyTestData.gaussian(random);
            // "small" and "tiny" are bootstrapped, "big" is not
            codes[i] = i % 100 == 0 ? 1 : (i % 1000 == 1 ? 2 : 0);
            second[i] = random.nextInt(7);
        }
        List<Predictions.SliceColumn> slices = List.of(
                new Predictions.SliceColumn("size", List.of("big", "small", "tiny"), codes),
                new Predictions.SliceColumn("group", List.of("a", "b", "c", "d", "e", "f", "g"), second));
        List<Uncertainties> all = new ArrayList<>();
        all.add(Uncertainty.estimate(new Predictions(Task.CLASSIFICATION, y, s, slices), 0.5, 0.95, 5));
        all.add(Uncertainty.estimate(new Predictions(Task.CLASSIFICATION, y, s, List.of()), 0.5, 0.95, 5));
        all.add(Uncertainty.estimate(new Predictions(Task.REGRESSION, target, fitted, slices), 0.5, 0.95, 5));
        StringBuilder text = new StringBuilder();
        for (Uncertainties u : all) {
            u.scopes().forEach((scope, estimates) -> estimates.forEach((id, e) -> text.append(scope).append(' ').append(id)
                    .append(' ').append(e.n()).append(' ').append(e.method())
                    .append(' ').append(Long.toHexString(Double.doubleToRawLongBits(e.value())))
                    .append(' ').append(Long.toHexString(Double.doubleToRawLongBits(e.se())))
                    .append(' ').append(Long.toHexString(Double.doubleToRawLongBits(e.ciLow())))
                    .append(' ').append(Long.toHexString(Double.doubleToRawLongBits(e.ciHigh()))).append('\n')));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return Parallel.threads() + " " + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The fingerprint without the thread count it was made with. */
    static String digest(String fingerprint) {
        return fingerprint.substring(fingerprint.indexOf(' ') + 1);
    }

    /** The fingerprint computed by a child JVM that sees {@code processors} processors. */
    static String inChildJvm(int processors) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-XX:ActiveProcessorCount=" + processors, "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), UncertaintyFingerprint.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] out;
        try (InputStream in = process.getInputStream()) {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            in.transferTo(buffer);
            out = buffer.toByteArray();
        }
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("the child JVM did not finish");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("the child JVM failed with exit code " + process.exitValue());
        }
        return new String(out, StandardCharsets.UTF_8).trim();
    }

    public static void main(String[] args) {
        System.out.println(fingerprint());
    }
}
