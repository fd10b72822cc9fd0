package io.modelgate.store;

import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens the bare Git repositories the registry, lineage and remote caches live in. Reading never
 * creates anything: a path that holds no repository is an error the caller reports ("no registry
 * at PATH"). Creating builds the repository in a fresh directory with an unpredictable name next
 * to the target and renames it into place in one step, so two processes that create the same
 * repository at once both end up using one complete repository, and a reader never sees half of
 * one.
 */
public final class GitRepositories {
    private GitRepositories() {
    }

    /** Something to do to a new repository before anyone else can see it (a first fetch). */
    @FunctionalInterface
    public interface Preparation {
        void prepare(Repository fresh) throws IOException;
    }

    /** Where the Git directory of {@code dir} is, if {@code dir} holds a repository: bare, or a work tree's {@code .git}. */
    public static Optional<Path> gitDir(Path dir) {
        if (isBare(dir)) {
            return Optional.of(dir);
        }
        Path dotGit = dir.resolve(".git");
        return isBare(dotGit) ? Optional.of(dotGit) : Optional.empty();
    }

    private static boolean isBare(Path dir) {
        return Files.isDirectory(dir.resolve("objects")) && Files.isDirectory(dir.resolve("refs"))
                && Files.isRegularFile(dir.resolve("HEAD"));
    }

    /** The repository at {@code dir}, or empty when there is none; nothing on disk changes either way. */
    public static Optional<Repository> openExisting(Path dir) {
        Optional<Path> gitDir = gitDir(dir);
        if (gitDir.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FileRepositoryBuilder().setGitDir(gitDir.get().toFile()).setMustExist(true).build());
        } catch (IOException | IllegalStateException e) {
            throw StoreException.unreachable(dir + ": cannot open the Git repository: " + e.getMessage(), e);
        }
    }

    /** The repository at {@code dir}, created (bare, with every ref update logged) when there is none. */
    public static Repository openOrCreate(Path dir) {
        return openOrCreate(dir, fresh -> { });
    }

    /**
     * The repository at {@code dir}; when there is none, one is made in a new directory beside it,
     * {@code prepare}d, and renamed to {@code dir}. If another process got there first, its
     * repository is used and ours removed. A failure leaves nothing behind, not even the parent
     * directories made for it. A path that exists and is not a repository (a directory with files
     * in it, a file) is refused: it is never turned into one.
     */
    public static Repository openOrCreate(Path dir, Preparation prepare) {
        Optional<Repository> existing = openExisting(dir);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null) {
            throw StoreException.badInput(dir + ": cannot create a repository at the root of the file system");
        }
        List<Path> madeParents = new ArrayList<>();
        Path tmp = null;
        boolean placed = false;
        try {
            for (Path p = parent; p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
                madeParents.add(0, p);
            }
            Files.createDirectories(parent);
            // A new directory with a random name (mkdir fails rather than reuse anything already there).
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".new-");
            try (Repository fresh = new FileRepositoryBuilder().setGitDir(tmp.toFile()).build()) {
                fresh.create(true);
                StoredConfig config = fresh.getConfig();
                // The reflog is the registry's witness against refs moved by hand; bare repositories keep none by default.
                config.setString("core", null, "logAllRefUpdates", "always");
                // A fetch may start Git's automatic gc in the background; in a directory about to be renamed
                // (or removed) it must run in the foreground, if at all.
                config.setBoolean("gc", null, "autoDetach", false);
                config.save();
                prepare.prepare(fresh);
                config.unset("gc", null, "autoDetach");
                config.save();
            }
            placed = moveIntoPlace(tmp, target);
        } catch (IOException e) {
            throw StoreException.unreachable(dir + ": cannot create the Git repository: " + e.getMessage(), e);
        } finally {
            if (tmp != null && !placed) {
                deleteTree(tmp);
            }
            if (!placed && gitDir(target).isEmpty()) {
                for (int i = madeParents.size() - 1; i >= 0; i--) {
                    try {
                        Files.deleteIfExists(madeParents.get(i));
                    } catch (IOException notEmpty) {
                        break; // something else was put there meanwhile: leave it
                    }
                }
            }
        }
        return openExisting(target).orElseThrow(() -> StoreException.badInput(
                dir + " exists and is not a Git repository; give an empty or new directory"));
    }

    /** True when ours was renamed to {@code target}; false when {@code target} already existed (another creator won). */
    private static boolean moveIntoPlace(Path tmp, Path target) throws IOException {
        if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) && isEmptyDirectory(target)) {
            // An empty directory made by the user (or a build tool) stands in the way of rename on some systems.
            try {
                Files.delete(target);
            } catch (DirectoryNotEmptyException raced) {
                return false;
            } catch (java.nio.file.NoSuchFileException gone) {
                // removed meanwhile: the rename below decides
            }
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("cannot rename " + tmp + " to " + target + " in one step: " + e.getMessage(), e);
        } catch (IOException e) {
            // rename(2) onto a directory that is not empty fails with EEXIST or ENOTEMPTY (the latter reaches
            // Java as a plain FileSystemException): another creator won if what is there now is a repository.
            if (e instanceof FileAlreadyExistsException || e instanceof DirectoryNotEmptyException
                    || gitDir(target).isPresent()) {
                return false;
            }
            throw e;
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        } catch (java.nio.file.NoSuchFileException gone) {
            return false;
        }
    }

    /** Removes a directory this class made, without following any link inside it. */
    static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile (a lock file that was released)
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // A leftover directory with a random name harms nothing; the next creation makes its own.
        }
    }
}
