package io.modelgate.lineage;

import io.modelgate.common.Digests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Java, OS, CPUs, dependency lock files and the Jenkins build, as a run saw them. */
final class EnvironmentCapture {
    static final List<String> LOCK_FILES = List.of("requirements.txt", "poetry.lock", "Pipfile.lock", "uv.lock",
            "environment.yml", "environment.yaml", "conda-lock.yml", "pom.xml", "package-lock.json");
    static final List<String> JENKINS = List.of("BUILD_URL", "JOB_NAME", "BUILD_NUMBER", "NODE_NAME", "GIT_COMMIT");

    private EnvironmentCapture() {
    }

    static RunEnvironment capture(Path workTree, Map<String, String> env) {
        Map<String, String> locks = new TreeMap<>();
        for (String name : LOCK_FILES) {
            Path f = workTree.resolve(name);
            if (Files.isRegularFile(f)) {
                try {
                    locks.put(name, Digests.of(f).sha256());
                } catch (IOException e) {
                    throw new LineageException(f + ": cannot read: " + e.getMessage());
                }
            }
        }
        Map<String, String> build = new TreeMap<>();
        // The Jenkins context goes into a shared store and to OpenLineage: no credentials, however a
        // variable came to hold them (a BUILD_URL with user and password, a secret variable's value).
        io.modelgate.common.Redactor redactor = io.modelgate.common.Redactor.of(env);
        for (String k : JENKINS) {
            String v = env.get(k);
            if (v != null && !v.isBlank()) {
                build.put(k, k.equals("BUILD_URL") ? CodeCapture.sanitise(redactor.redact(v)) : redactor.redact(v));
            }
        }
        return new RunEnvironment(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")",
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
                Runtime.getRuntime().availableProcessors(), locks, build);
    }
}
