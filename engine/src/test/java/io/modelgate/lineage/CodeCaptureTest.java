package io.modelgate.lineage;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CodeCaptureTest {
    @TempDir
    Path dir;

    @Test
    void capturesCommitBranchAndACredentialFreeRemote() throws Exception {
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            Files.writeString(dir.resolve("train.py"), "print('hi')\n");
            git.add().addFilepattern(".").call();
            var commit = git.commit().setMessage("train").setSign(false).call();
            var config = git.getRepository().getConfig();
            config.setString("remote", "origin", "url", "https://bob:ghp_SECRET@git.example.com/ml/churn.git");
            config.save();

            CodeVersion clean = CodeCapture.capture(dir);
            assertThat(clean.commit()).isEqualTo(commit.name());
            assertThat(clean.branch()).isEqualTo("main");
            assertThat(clean.remoteUrl()).isEqualTo("https://git.example.com/ml/churn.git").doesNotContain("SECRET");
            assertThat(clean.dirty()).isFalse();
            assertThat(clean.diffSha256()).isEmpty();

            Files.writeString(dir.resolve("notes.txt"), "untracked files do not make a tree dirty\n");
            assertThat(CodeCapture.capture(dir).dirty()).isFalse();

            Files.writeString(dir.resolve("train.py"), "print('changed')\n");
            CodeVersion dirty = CodeCapture.capture(dir);
            assertThat(dirty.dirty()).isTrue();
            assertThat(dirty.diffSha256()).hasSize(64);
            Files.writeString(dir.resolve("train.py"), "print('changed again')\n");
            assertThat(CodeCapture.capture(dir).diffSha256()).isNotEqualTo(dirty.diffSha256());
        }
    }

    @Test
    void outsideAGitWorkTreeThereIsNoCodeVersion(@TempDir Path plain) {
        assertThat(CodeCapture.capture(plain)).isEqualTo(CodeVersion.NONE);
    }
}
