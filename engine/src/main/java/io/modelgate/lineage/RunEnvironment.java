package io.modelgate.lineage;

import java.util.Map;

/**
 * Where a run ran.
 *
 * @param java      Java version and vendor
 * @param os        operating system name, version and architecture
 * @param cpus      available processors
 * @param lockFiles dependency lock files found in the work tree (requirements.txt, poetry.lock,
 *                  environment.yml, pom.xml) to their SHA-256
 * @param build     the Jenkins context: BUILD_URL, JOB_NAME, BUILD_NUMBER, NODE_NAME, GIT_COMMIT when present
 */
public record RunEnvironment(String java, String os, int cpus, Map<String, String> lockFiles, Map<String, String> build) {
    public RunEnvironment {
        lockFiles = Map.copyOf(lockFiles);
        build = Map.copyOf(build);
    }
}
