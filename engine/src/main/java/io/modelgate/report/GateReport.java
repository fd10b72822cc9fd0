package io.modelgate.report;

import io.modelgate.gate.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes a verdict as JSON, JUnit XML, Markdown and HTML (with its CSS) into a report directory, and
 * refreshes the directory's index page.
 *
 * <p>Files are written whole and then moved into place, so a reader (Jenkins archiving the
 * directory, a later step) never sees half a file; existing files are replaced. The shapes are
 * described in {@code docs/reports.md}.
 */
public final class GateReport {
    /** The file names in the report directory. */
    public static final String JSON = "verdict.json";
    public static final String JUNIT = "junit.xml";
    public static final String MARKDOWN = "verdict.md";
    /** The gate's page; {@code index.html} is the build's index of every page ({@link ReportIndex}). */
    public static final String HTML = "gate.html";
    public static final String CSS = HtmlReport.CSS;

    private GateReport() {
    }

    /**
     * Writes {@value #JSON}, {@value #JUNIT}, {@value #MARKDOWN}, {@value #HTML} and {@value #CSS} into
     * {@code reportDir}, creating it if needed, then refreshes {@value ReportIndex#HTML}.
     *
     * @throws ReportException when the directory or a file cannot be written; the message names the path
     */
    public static ReportFiles write(Verdict verdict, Path reportDir) {
        Path dir = reportDir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure(dir, e);
        }
        ReportFiles files = new ReportFiles(dir.resolve(JSON), dir.resolve(JUNIT), dir.resolve(MARKDOWN),
                dir.resolve(HTML), dir.resolve(ReportIndex.HTML));
        writeFile(files.json(), json(verdict).getBytes(StandardCharsets.UTF_8));
        writeFile(files.junit(), JunitReport.render(verdict).getBytes(StandardCharsets.UTF_8));
        writeFile(files.markdown(), MarkdownReport.render(verdict).getBytes(StandardCharsets.UTF_8));
        writeFile(dir.resolve(CSS), css());
        writeFile(files.html(), HtmlReport.render(verdict).getBytes(StandardCharsets.UTF_8));
        ReportIndex.refresh(dir);
        return files;
    }

    /** The verdict in the documented JSON shape, as written to {@code verdict.json} and printed by {@code --json}. */
    public static String json(Verdict verdict) {
        return JsonReport.render(verdict);
    }

    /** The verdict's JSON document as a tree ({@link #json}'s content), for documents that hold it. */
    public static com.fasterxml.jackson.databind.node.ObjectNode document(Verdict verdict) {
        return JsonReport.document(verdict);
    }

    /**
     * Writes a page, the JSON file that summarises it and the style sheet it links to into {@code dir},
     * then refreshes the index page; returns the page. The JSON goes first so that the index, and
     * anyone who sees the new page, finds its summary next to it.
     */
    static Path writePage(Path dir, String fileName, String html, String jsonName, String json) {
        Path d = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw failure(d, e);
        }
        writeFile(d.resolve(CSS), css());
        writeFile(d.resolve(jsonName), json.getBytes(StandardCharsets.UTF_8));
        Path page = d.resolve(fileName);
        writeFile(page, html.getBytes(StandardCharsets.UTF_8));
        ReportIndex.refresh(d);
        return page;
    }

    static byte[] css() {
        try (InputStream in = GateReport.class.getResourceAsStream(CSS)) {
            if (in == null) {
                throw new IllegalStateException("resource " + CSS + " is missing from the Modelgate jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + CSS, e);
        }
    }

    static void writeFile(Path target, byte[] content) {
        Path tmp = null;
        try {
            // A name of its own: parallel stages writing into one report folder all write modelgate.css.
            // (createTempFile would make it private to its owner; a report is for everyone who may read the folder.)
            tmp = target.resolveSibling("." + target.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException | RuntimeException ignored) {
                // the original failure is the one to report
            }
            throw failure(target, e);
        }
    }

    static ReportException failure(Path path, IOException e) {
        return new ReportException("cannot write report to " + path + ": " + reason(e), e);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way (" + ((FileSystemException) e).getFile() + " is not a directory)";
        }
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof NotDirectoryException) {
            return "Not a directory";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("[\\r\\n]+", " ");
    }
}
