package io.modelgate.store;

import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

import java.io.File;

/**
 * Reads Git's system configuration from where Git keeps it, instead of asking Git. To find that file
 * JGit starts {@code git --version} and {@code git config --system --show-origin --list} once per
 * process: about a tenth of a short command's time ({@code registry resolve} in a serving script's
 * start-up). The file is {@code $GIT_CONFIG_SYSTEM} when set, else {@code /etc/gitconfig} (Git's
 * compiled-in default on Linux); {@code GIT_CONFIG_NOSYSTEM} still turns it off, as in Git.
 */
public final class GitSystemConfig extends SystemReader.Delegate {
    GitSystemConfig(SystemReader delegate) {
        super(delegate);
    }

    /**
     * Installs this reader for the whole process: JGit has one. Only a program's entry point calls
     * this (the command line's main); a library embedding the engine keeps JGit's own.
     */
    public static void install() {
        SystemReader current = SystemReader.getInstance();
        if (!(current instanceof GitSystemConfig)) {
            SystemReader.setInstance(new GitSystemConfig(current));
        }
    }

    @Override
    public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        String off = getenv("GIT_CONFIG_NOSYSTEM");
        String path = getenv("GIT_CONFIG_SYSTEM");
        File file = off != null && !off.isEmpty() ? null
                : new File(path != null && !path.isEmpty() ? path : "/etc/gitconfig");
        if (file == null) {
            return new FileBasedConfig(parent, null, fs) {
                @Override
                public void load() {
                    // Git ignores the system configuration when GIT_CONFIG_NOSYSTEM is set.
                }

                @Override
                public boolean isOutdated() {
                    return false;
                }
            };
        }
        return new FileBasedConfig(parent, file, fs);
    }
}
