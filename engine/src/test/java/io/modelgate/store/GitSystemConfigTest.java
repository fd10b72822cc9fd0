package io.modelgate.store;

import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GitSystemConfigTest {
    @TempDir
    Path dir;

    /** The process environment as Git would see it, without changing this JVM's. */
    private static SystemReader withEnv(Map<String, String> env) {
        return new SystemReader.Delegate(SystemReader.getInstance()) {
            @Override
            public String getenv(String variable) {
                return env.get(variable);
            }
        };
    }

    @Test
    void readsTheFileGitConfigSystemNamesWithoutStartingGit() throws Exception {
        Path file = Files.writeString(dir.resolve("gitconfig"), "[http]\n\tproxy = http://proxy.internal:3128\n");
        FileBasedConfig c = new GitSystemConfig(withEnv(Map.of("GIT_CONFIG_SYSTEM", file.toString())))
                .openSystemConfig(null, FS.DETECTED);
        c.load();
        assertThat(c.getFile()).isEqualTo(file.toFile());
        assertThat(c.getString("http", null, "proxy")).isEqualTo("http://proxy.internal:3128");
    }

    @Test
    void defaultsToEtcGitconfigAndHonoursGitConfigNosystem() throws Exception {
        assertThat(new GitSystemConfig(withEnv(Map.of())).openSystemConfig(null, FS.DETECTED).getFile())
                .isEqualTo(new java.io.File("/etc/gitconfig"));
        Path file = Files.writeString(dir.resolve("gitconfig"), "[user]\n\tname = system\n");
        FileBasedConfig off = new GitSystemConfig(withEnv(Map.of("GIT_CONFIG_NOSYSTEM", "1",
                "GIT_CONFIG_SYSTEM", file.toString()))).openSystemConfig(null, FS.DETECTED);
        off.load();
        assertThat(off.getString("user", null, "name")).isNull();
    }
}
