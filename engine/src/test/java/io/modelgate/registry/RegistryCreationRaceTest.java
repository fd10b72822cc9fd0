package io.modelgate.registry;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads that create the same registry, or the same remote's cache, at the same moment (released
 * by a barrier) all succeed and end up sharing one repository; no temporary directory is left.
 * RegistryConcurrencyIT does the same with separate JVMs.
 */
class RegistryCreationRaceTest {
    private static final int THREADS = 8;

    @TempDir
    Path dir;

    private List<String> race(String location, Path cacheRoot) throws Exception {
        Path artifact = Files.writeString(dir.resolve("model.bin"), "weights");
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Boolean>> done = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                String model = "m" + i;
                done.add(pool.submit(() -> {
                    start.await(30, TimeUnit.SECONDS);
                    try (Registry r = Registry.open(location, cacheRoot, RegistryWorker.config())) {
                        return r.register(new Registry.Registration(model, artifact, "", "", "patch", "", Map.of()),
                                new Actor(model, BuildInfo.NONE, Instant.now())).applied();
                    }
                }));
            }
            for (Future<Boolean> f : done) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        try (Registry r = Registry.openExisting(location, cacheRoot, RegistryWorker.config(), Optional.empty())) {
            assertThat(r.verify().problems()).isEmpty();
            return r.models();
        }
    }

    @Test
    void threadsCreatingOneLocalRegistryAtOnceAllSucceed() throws Exception {
        Path registry = dir.resolve("ws/.modelgate/registry");
        assertThat(race(registry.toString(), dir.resolve("cache"))).hasSize(THREADS);
        try (var siblings = Files.list(registry.getParent())) {
            assertThat(siblings).containsExactly(registry);
        }
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void threadsCreatingOneRemoteCacheAtOnceAllSucceed() throws Exception {
        Path bare = dir.resolve("shared.git");
        Git.init().setBare(true).setDirectory(bare.toFile()).call().close();
        Path cacheRoot = dir.resolve("ws/.modelgate/cache");
        assertThat(race(bare.toUri().toString(), cacheRoot)).hasSize(THREADS);
        try (var caches = Files.list(cacheRoot)) {
            assertThat(caches).hasSize(1);
        }
    }

    @Test
    void anUnreachableRemoteLeavesNoCacheBehind() {
        Path cacheRoot = dir.resolve("ws/.modelgate/cache");
        String url = dir.resolve("no-such.git").toUri().toString();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Registry.openExisting(url, cacheRoot,
                RegistryWorker.config(), Optional.empty())).isInstanceOf(io.modelgate.common.ModelgateException.class)
                .hasMessageContaining("cannot be reached");
        assertThat(dir.resolve("ws")).doesNotExist();
    }
}
