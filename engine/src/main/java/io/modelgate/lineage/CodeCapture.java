package io.modelgate.lineage;

import io.modelgate.common.Digests;
import io.modelgate.common.Redactor;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

import java.io.IOException;
import java.nio.file.Path;

/** Reads the code version of a work tree with JGit: commit, branch, origin (credentials removed), dirty state. */
final class CodeCapture {
    private CodeCapture() {
    }

    static CodeVersion capture(Path workTree) {
        FileRepositoryBuilder builder = new FileRepositoryBuilder().readEnvironment().findGitDir(workTree.toFile());
        if (builder.getGitDir() == null) {
            return CodeVersion.NONE;
        }
        try (Repository repo = builder.build(); Git git = new Git(repo)) {
            ObjectId head = repo.resolve("HEAD");
            if (head == null) {
                return new CodeVersion("", repo.getBranch(), sanitise(repo.getConfig().getString("remote", "origin", "url")),
                        true, "");
            }
            String branch = repo.getFullBranch() != null && repo.getFullBranch().startsWith("refs/heads/")
                    ? repo.getBranch() : "";
            Status status = git.status().call();
            boolean dirty = !status.getAdded().isEmpty() || !status.getChanged().isEmpty()
                    || !status.getModified().isEmpty() || !status.getRemoved().isEmpty() || !status.getMissing().isEmpty()
                    || !status.getConflicting().isEmpty();
            return new CodeVersion(head.name(), branch, sanitise(repo.getConfig().getString("remote", "origin", "url")),
                    dirty, dirty ? Digests.sha256(changes(repo, status)) : "");
        } catch (IOException | GitAPIException e) {
            throw new LineageException(workTree + ": cannot read the Git work tree: " + e.getMessage());
        }
    }

    /**
     * A fingerprint of the uncommitted changes: each changed tracked path, sorted, with its status
     * and the SHA-256 of its content in the work tree. Untracked files are left out, as
     * {@code git diff} leaves them out.
     */
    private static byte[] changes(Repository repo, Status status) throws IOException {
        java.util.TreeMap<String, String> lines = new java.util.TreeMap<>();
        status.getAdded().forEach(p -> lines.put(p, "added"));
        status.getChanged().forEach(p -> lines.put(p, "staged"));
        status.getModified().forEach(p -> lines.put(p, "modified"));
        status.getRemoved().forEach(p -> lines.put(p, "removed"));
        status.getMissing().forEach(p -> lines.put(p, "missing"));
        status.getConflicting().forEach(p -> lines.put(p, "conflicting"));
        StringBuilder b = new StringBuilder();
        for (var e : lines.entrySet()) {
            Path file = repo.getWorkTree().toPath().resolve(e.getKey());
            String digest = java.nio.file.Files.isRegularFile(file) ? Digests.of(file).sha256() : "-";
            b.append(e.getValue()).append(' ').append(e.getKey()).append(' ').append(digest).append('\n');
        }
        return b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * A remote URL with any user name, password or token removed: {@code https://user:tok@host/x}
     * becomes {@code https://host/x}; query strings (which sometimes carry tokens) are dropped. An
     * scp-like {@code git@host:org/repo.git} names a login, not a secret, and is kept. Where the user
     * information ends (at the last {@code @}: a password may hold {@code @}, {@code :} or {@code /})
     * is decided by the one {@link Redactor}; its mask is then dropped, since a record names the
     * repository, not who fetched it.
     */
    static String sanitise(String url) {
        if (url == null || url.isBlank()) {
            return "";
        }
        String u = url.trim();
        int q = u.indexOf('?');
        if (q >= 0 && u.contains("://")) {
            u = u.substring(0, q);
        }
        return USER_INFO_MASK.matcher(Redactor.url(u)).replaceFirst("$1");
    }

    private static final java.util.regex.Pattern USER_INFO_MASK = java.util.regex.Pattern.compile(
            "^([a-zA-Z][a-zA-Z0-9+.-]*://)" + java.util.regex.Pattern.quote(Redactor.MASK) + "@");
}
