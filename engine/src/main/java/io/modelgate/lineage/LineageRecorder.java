package io.modelgate.lineage;

import io.modelgate.common.Redactor;
import io.modelgate.common.Sanitizer;
import io.modelgate.metrics.MetricSet;
import io.modelgate.metrics.MetricsFileReader;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Captures a run's lineage — data digests, code, parameters, metrics, environment — and stores it
 * before anything is sent anywhere.
 */
public final class LineageRecorder {
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final LineageStore store;
    private final DatasetDigester digester;

    public LineageRecorder(LineageStore store, DatasetDigester digester) {
        this.store = store;
        this.digester = digester;
    }

    /**
     * What to record.
     *
     * @param run         what the run says about itself
     * @param succeeded   whether the run succeeded
     * @param startedAt   when the run started
     * @param workTree    the work tree whose Git state and lock files are recorded
     * @param environment the process environment (Jenkins variables)
     */
    public record Request(RunFacts run, boolean succeeded, Instant startedAt, Path workTree,
                          Map<String, String> environment) {
        public Request {
            environment = Map.copyOf(environment);
        }
    }

    public LineageRecord record(Request r, Instant now) {
        if (r.run().inputs().isEmpty() && r.run().outputs().isEmpty()) {
            throw new LineageException("nothing to record: give at least one --input or --output");
        }
        // Names that reach Git are checked before any file is digested or anything is saved.
        String job = job(r);
        String namespace = namespace(r);
        LineageStore.checkNames(job, namespace, r.run().params(), java.util.List.of(), r.run().models());
        for (String m : r.run().models()) {
            // NAME@VERSION, the version as the registry writes it: v and a Semantic Version (build metadata too).
            int at = m.indexOf('@');
            if (at < 0 || !MODEL_NAME.matcher(m.substring(0, at)).matches() || !m.startsWith("v", at + 1)
                    || !io.modelgate.common.SemVer.isValid(m.substring(at + 1))) {
                throw new LineageException("--model " + m + ": expected NAME@VERSION, e.g. churn@v1.4.0");
            }
        }
        List<String> parents = new ArrayList<>();
        for (String p : r.run().parents()) {
            parents.add(store.find(p).orElseThrow(() -> new LineageException("--parent " + p + ": unknown lineage record")).id());
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Path f : r.run().metrics()) {
            MetricSet m = MetricsFileReader.read(f);
            metrics.putAll(m.overall());
        }
        // Digest everything before storing anything, so a bad path leaves nothing half-written.
        List<Dataset> inputs = r.run().inputs().stream().map(digester::digest).toList();
        List<Dataset> outputs = r.run().outputs().stream().map(digester::digest).toList();
        digester.cache().save();
        LineageRecord record = new LineageRecord("", job, namespace, UUID.randomUUID().toString(), r.startedAt(), now,
                r.succeeded(), inputs, outputs, params(r), metrics, parents, r.run().models(), CodeCapture.capture(r.workTree()),
                EnvironmentCapture.capture(r.workTree(), r.environment()));
        return store.save(record);
    }

    /**
     * The parameters as they are stored (in a Git store others fetch) and sent (to an OpenLineage
     * backend): through the one redactor, with the run's secret variables, so a database URL with a
     * password keeps its host but not the password; a parameter whose name says it is a secret
     * ({@code api_key}, {@code db_password}) keeps its name only.
     */
    private static Map<String, String> params(Request r) {
        Redactor redactor = Redactor.of(r.environment());
        Map<String, String> out = new LinkedHashMap<>();
        r.run().params().forEach((k, v) -> {
            String key = Sanitizer.identifier("--param name", k);
            out.put(key, Redactor.isSecretName(key) ? Redactor.MASK : redactor.redact(v));
        });
        return out;
    }

    private static String job(Request r) {
        if (!r.run().job().isBlank()) {
            return Sanitizer.identifier("--job", r.run().job());
        }
        String jenkins = r.environment().getOrDefault("JOB_NAME", "");
        if (!jenkins.isBlank()) {
            return Sanitizer.identifier("JOB_NAME", jenkins);
        }
        Path name = r.workTree().toAbsolutePath().normalize().getFileName();
        return name == null ? "job" : name.toString();
    }

    private static String namespace(Request r) {
        if (!r.run().namespace().isBlank()) {
            return Redactor.url(Sanitizer.identifier("--namespace", r.run().namespace()));
        }
        String url = r.environment().getOrDefault("JENKINS_URL", "");
        try {
            String host = url.isBlank() ? null : java.net.URI.create(url).getHost();
            return host == null ? "modelgate" : "jenkins://" + host;
        } catch (IllegalArgumentException e) {
            return "modelgate";
        }
    }
}
