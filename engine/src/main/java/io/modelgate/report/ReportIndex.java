package io.modelgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelgate.common.InputException;
import io.modelgate.common.InputFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build's index page: what a user opens from the build ({@code publishHTML(reportFiles:
 * 'index.html')}). It links every Modelgate page in a report directory, each with its status and a
 * one-line summary read from the JSON file next to the page.
 *
 * <p>Every page writer calls {@link #refresh} after writing its page, so the index is always up to
 * date however many commands share the directory. A summary is shown only when its file reads as
 * JSON with a string {@code status} / {@code summary}; anything else (a page written by another tool,
 * a half-known format) is still linked, just without a summary.
 */
public final class ReportIndex {
    public static final String HTML = "index.html";
    /**
     * Held while the directory is scanned and the index written: two commands finishing at the same
     * time (parallel stages sharing a report directory) could otherwise each write an index that
     * misses the other's page, the later-written but older one winning.
     */
    static final String LOCK = ".modelgate-index.lock";
    private static final Pattern PAGE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,120}\\.html");

    /** The pages Modelgate writes, in the order a build produces them, with the file that summarises each. */
    private static final List<Known> KNOWN = List.of(
            new Known(GateReport.HTML, "gate", "Model gate", GateReport.JSON),
            new Known(LineageReport.HTML, "lineage", "Lineage", LineageReport.JSON),
            new Known(RegistryReport.HTML, "registry", "Registry history", RegistryReport.JSON),
            new Known(CanaryReport.HTML, "canary", "Canary rollout", CanaryReport.JSON),
            new Known("drift.html", "drift", "Drift", "drift.json"));

    private record Known(String page, String kind, String title, String json) {
    }

    /**
     * One page the index links.
     *
     * @param page      its file name in the report directory
     * @param kind      {@code gate}, {@code lineage}, {@code registry}, {@code canary}, {@code drift}, or
     *                  {@code page} for any other HTML page found there
     * @param title     a title for people
     * @param status    its status (PASS, ROLLED_BACK, ...), or empty
     * @param summary   one line, or empty when there is nothing readable to say
     * @param data      the JSON file it was summarised from, or empty
     * @param written   when the page was last written
     */
    public record Entry(String page, String kind, String title, String status, String summary, String data,
                        Instant written) {
    }

    /** The index page written and the entries it lists. */
    public record Index(Path page, List<Entry> entries) {
    }

    private ReportIndex() {
    }

    /**
     * Writes {@value #HTML} into {@code dir} listing every page there, and the style sheet next to it.
     *
     * @throws ReportException when the directory cannot be read or the index written; the message names the path
     */
    @SuppressWarnings("try") // the FileLock resource is held, not used: the try block is what it guards
    public static Index refresh(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw GateReport.failure(d, e);
        }
        Path lockFile = d.resolve(LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lock(channel, lockFile)) {
            List<Entry> entries = scan(d);
            GateReport.writeFile(d.resolve(GateReport.CSS), GateReport.css());
            Path page = d.resolve(HTML);
            GateReport.writeFile(page, render(entries).getBytes(StandardCharsets.UTF_8));
            return new Index(page, entries);
        } catch (IOException e) {
            throw GateReport.failure(lockFile, e);
        }
    }

    private static FileLock lock(FileChannel channel, Path lockFile) throws IOException {
        // FileChannel.lock is per process: another thread of this JVM holding it shows as an overlap, so wait for it.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("another writer of this process holds " + lockFile, e);
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for " + lockFile, ie);
                }
            }
        }
    }

    /** The pages in {@code dir}: Modelgate's in build order, then any other HTML page by name. */
    static List<Entry> scan(Path dir) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        for (Known k : KNOWN) {
            Path page = dir.resolve(k.page());
            if (Files.isRegularFile(page)) {
                entries.add(summarise(mapper, dir, k, page));
            }
        }
        Set<String> known = Set.of(HTML, GateReport.HTML, LineageReport.HTML, RegistryReport.HTML, CanaryReport.HTML,
                "drift.html");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted().toList()) {
                String name = p.getFileName().toString();
                // Only names that are safe as they are in an href; others are not Modelgate's pages anyway.
                if (!known.contains(name) && PAGE_NAME.matcher(name).matches() && Files.isRegularFile(p)) {
                    entries.add(new Entry(name, "page", name, "", "", "", modified(p)));
                }
            }
        }
        return entries;
    }

    private static Entry summarise(ObjectMapper mapper, Path dir, Known k, Path page) {
        Path json = dir.resolve(k.json());
        String title = k.title();
        String status = "";
        String summary = "";
        String data = "";
        try {
            if (Files.exists(json)) {
                // As any input: a regular file only (a FIFO named drift.json is not waited on), at most 16 MB.
                JsonNode root = mapper.readTree(InputFiles.text(json, InputException::new));
                if (root != null && root.isObject()) {
                    data = k.json();
                    status = text(root, "status");
                    summary = text(root, "summary");
                    if (!text(root, "title").isEmpty()) {
                        title = text(root, "title");
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable or not JSON (a page written by another tool or version): link the page, say nothing about it.
            status = "";
            summary = "";
            data = "";
        }
        return new Entry(k.page(), k.kind(), Html.shorten(title, 120), Html.shorten(status, 24), Html.shorten(summary, 300),
                data, modified(page));
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? Text.oneLine(n.asText()).strip() : "";
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** The CSS class of a status: green, amber, red, or neutral for one this page does not know. */
    static String statusClass(String status) {
        return switch (status.toUpperCase(Locale.ROOT).replace(' ', '_')) {
            case "PASS", "PASSED", "OK", "PROMOTED", "NO_DRIFT" -> "pass";
            case "WARN", "WARNING", "PAUSED", "RUNNING" -> "warn";
            case "FAIL", "FAILED", "ROLLED_BACK", "DRIFT", "DRIFTED", "ERROR" -> "fail";
            default -> "skipped";
        };
    }

    static String render(List<Entry> entries) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Modelgate reports</title>\n<link rel=\"stylesheet\" href=\"").append(GateReport.CSS)
                .append("\">\n</head>\n<body>\n<main class=\"page\">\n<header class=\"index-header\"><h1>Modelgate reports</h1>\n")
                .append("<p class=\"summary\">").append(Text.plural(entries.size(), "page", "pages"))
                .append(" in this report directory.</p></header>\n");
        if (entries.isEmpty()) {
            h.append("<p class=\"empty\">No Modelgate page has been written here yet.</p>\n");
        } else {
            h.append("<div class=\"table-wrap\"><table class=\"index-table\">\n<thead><tr><th>Page</th><th>Status</th>")
                    .append("<th>Summary</th><th>Written</th></tr></thead>\n<tbody>\n");
            DateTimeFormatter time = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);
            for (Entry e : entries) {
                h.append("<tr class=\"index-").append(e.kind()).append("\"><td class=\"index-page\"><a href=\"")
                        .append(Html.text(e.page())).append("\">").append(Html.text(e.title())).append("</a>")
                        .append("<div class=\"index-file\">").append(Html.text(e.page()));
                if (!e.data().isEmpty()) {
                    h.append(" \u00b7 <a href=\"").append(Html.text(e.data())).append("\">").append(Html.text(e.data()))
                            .append("</a>");
                }
                h.append("</div></td><td>");
                if (!e.status().isEmpty()) {
                    h.append("<span class=\"outcome outcome-").append(statusClass(e.status())).append("\">")
                            .append(Html.text(e.status().replace('_', ' '))).append("</span>");
                }
                h.append("</td><td class=\"why\">");
                if (e.summary().isEmpty()) {
                    h.append("<span class=\"none\">no summary</span>");
                } else {
                    h.append(Html.text(e.summary()));
                }
                h.append("</td><td class=\"index-time\"><time datetime=\"").append(e.written()).append("\">")
                        .append(time.format(e.written().atOffset(ZoneOffset.UTC))).append("</time></td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        h.append("<footer class=\"footer\">Generated by Modelgate \u00b7 regenerate with <code>modelgate report index</code>")
                .append("</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }
}
