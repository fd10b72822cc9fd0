package io.modelgate.registry;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: locks left by a killed writer no longer block the registry. A stale
 * {@code packed-refs.lock} (GTO tag mode moves the model's ref and its tags in one atomic update,
 * through packed-refs) used to make every later change hang for minutes in JGit's
 * {@code RefDirectory.lockPackedRefs}; a stale tag lock failed every registration of that version.
 */
class RegistryLockRecoveryTest {
    @TempDir
    Path dir;
    Path location;
    Path artifact;

    @BeforeEach
    void files() throws IOException {
        location = dir.resolve("registry");
        artifact = Files.writeString(dir.resolve("model.bin"), "weights");
    }

    private Registry open() {
        return Registry.open(location.toString(), dir.resolve("cache"), RegistryConfig.defaults().withGtoTags(true));
    }

    private static Actor actor() {
        return new Actor("alice", BuildInfo.NONE, Instant.now());
    }

    private static Path stale(Path lock) throws IOException {
        Files.createDirectories(lock.getParent());
        Files.writeString(lock, "", StandardCharsets.US_ASCII);
        Files.setLastModifiedTime(lock, FileTime.from(Instant.now().minusSeconds(600)));
        return lock;
    }

    @Test
    void staleLocksOfPackedRefsATagAndTheModelDoNotStopTheNextChangeInGtoTagMode() throws Exception {
        try (Registry r = open()) {
            r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor());
        }
        List<Path> locks = List.of(stale(location.resolve("packed-refs.lock")),
                stale(location.resolve("refs/tags/churn@v0.0.2.lock")),
                stale(location.resolve(GitStore.refName("churn") + ".lock")));

        long t0 = System.nanoTime();
        try (Registry r = open()) {
            assertThat(r.register(new Registry.Registration("churn", artifact, "", "", "patch", "", Map.of()), actor())
                    .applied()).isTrue();
            assertThat(r.promote("churn", "v0.0.2", "staging", "", "after the crash", actor()).applied()).isTrue();
            assertThat(r.verify().problems()).isEmpty();
            assertThat(r.state("churn").latest()).isEqualTo("v0.0.2");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
        for (Path lock : locks) {
            assertThat(lock).doesNotExist();
        }
        try (Repository repo = new FileRepositoryBuilder().setGitDir(location.toFile()).build()) {
            assertThat(repo.exactRef("refs/tags/churn@v0.0.2")).isNotNull();
            assertThat(repo.exactRef("refs/tags/churn#staging#1")).isNotNull();
        }
        fsckClean();
    }

    @Test
    void aStaleLockOfARolloutsRefDoesNotStopItsState() throws Exception {
        try (Registry r = open()) {
            r.writeRolloutFile("churn-canary", "state.json", "{}".getBytes(StandardCharsets.UTF_8), "start", actor());
        }
        Path lock = stale(location.resolve("refs/modelgate/rollouts/churn-canary.lock"));
        try (Registry r = open()) {
            r.writeRolloutFile("churn-canary", "abort", "stop".getBytes(StandardCharsets.UTF_8), "abort", actor());
            assertThat(r.rolloutFile("churn-canary", "abort")).hasValueSatisfying(
                    b -> assertThat(new String(b, StandardCharsets.UTF_8)).isEqualTo("stop"));
            assertThat(r.rolloutFile("churn-canary", "state.json")).isPresent();
        }
        assertThat(lock).doesNotExist();
        fsckClean();
    }

    private void fsckClean() throws Exception {
        Process p = new ProcessBuilder("git", "--git-dir=" + location, "fsck", "--strict", "--no-dangling")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("missing");
    }
}
