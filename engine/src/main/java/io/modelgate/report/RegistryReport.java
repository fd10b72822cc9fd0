package io.modelgate.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.modelgate.registry.AuditEntry;
import io.modelgate.registry.EventType;
import io.modelgate.registry.ModelState;
import io.modelgate.registry.ModelVersion;
import io.modelgate.registry.Registry;
import io.modelgate.registry.RegistryDocuments;
import io.modelgate.registry.RegistryEvent;
import io.modelgate.registry.VerdictRecord;

import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's registry history as an HTML page: its current stages and aliases, then every audited
 * event newest first with who did it, from which build, why, and the gate verdict of the version at
 * that point. Under Jenkins' Content-Security-Policy like the other pages: no script, no inline style,
 * every string escaped (actor, reason, tags and build URLs are free text).
 */
public final class RegistryReport {
    public static final String HTML = "registry.html";
    /** The page's summary, the model's state and its history, the shapes {@code registry show/history --json} print. */
    public static final String JSON = "registry.json";
    static final String SCHEMA = "modelgate/registry-page/v1";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT);

    private RegistryReport() {
    }

    /**
     * The page's input.
     *
     * @param state    the model's current stages and aliases
     * @param history  its audit trail, newest first (possibly limited)
     * @param versions the versions the history mentions, for their verdicts; others may be missing
     */
    public record Input(ModelState state, List<AuditEntry> history, List<ModelVersion> versions) {
        public Input {
            history = List.copyOf(history);
            versions = List.copyOf(versions);
        }
    }

    /** Writes {@value #HTML}, {@value #JSON} and the style sheet into {@code dir}, refreshes the index; returns the page. */
    public static Path write(Input input, Path dir) {
        return GateReport.writePage(dir, HTML, render(input), JSON, json(input));
    }

    /**
     * The history page of {@code model}: its {@code entries} (from {@link Registry#history}), with the versions
     * they mention read from {@code registry} for their verdicts; returns the page.
     */
    public static Path writeHistory(Registry registry, String model, List<AuditEntry> entries, Path dir) {
        List<ModelVersion> versions = entries.stream().map(e -> e.event().version()).filter(v -> !v.isEmpty())
                .distinct().map(v -> registry.version(model, v)).toList();
        return write(new Input(registry.state(model), entries, versions), dir);
    }

    static String title(Input in) {
        return "Registry history of " + in.state().model();
    }

    static String json(Input in) {
        PageJson j = new PageJson();
        RegistryDocuments docs = new RegistryDocuments();
        Map<String, JsonNode> data = new LinkedHashMap<>();
        data.put("state", j.parse(docs.of(in.state())));
        data.put("history", j.parse(docs.history(in.state().model(), in.history())));
        return j.render(SCHEMA, title(in), "", summary(in), data);
    }

    /** "churn: latest v0.0.2; production v0.0.1; @champion v0.0.2; 7 events, last: promote churn@v0.0.2 to staging". */
    static String summary(Input in) {
        ModelState s = in.state();
        List<String> parts = new ArrayList<>();
        parts.add(s.model() + ": latest " + (s.latest().isEmpty() ? "none" : s.latest()));
        s.stages().forEach((stage, holders) -> parts.add(stage + " " + String.join(", ", holders)));
        s.aliases().forEach((alias, version) -> parts.add("@" + alias + " " + version));
        String last = in.history().isEmpty() ? "" : ", last: " + in.history().get(0).event().describe();
        return String.join("; ", parts) + "; " + Text.plural(s.seq(), "event", "events") + last;
    }

    static String render(Input in) {
        ModelState s = in.state();
        Map<Long, String> verdicts = verdictAtEvent(in);
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(Html.text(title(in))).append("</title>\n<link rel=\"stylesheet\" href=\"").append(GateReport.CSS)
                .append("\">\n</head>\n<body>\n<main class=\"page\">\n<header class=\"index-header\"><h1>")
                .append(Html.text(title(in))).append("</h1>\n<p class=\"summary\">").append(Html.text(summary(in)))
                .append("</p></header>\n");

        h.append("<section class=\"inputs registry-state\">\n<h2>Now</h2>\n<dl>\n<dt>Latest version</dt><dd>")
                .append(s.latest().isEmpty() ? "<span class=\"none\">none</span>" : "<code>" + Html.text(s.latest()) + "</code>")
                .append("</dd>\n");
        if (s.stages().isEmpty()) {
            h.append("<dt>Stages</dt><dd><span class=\"none\">no version is in a stage</span></dd>\n");
        }
        s.stages().forEach((stage, holders) -> {
            h.append("<dt>").append(Html.text(stage)).append("</dt><dd>");
            holders.forEach(v -> h.append("<code>").append(Html.text(v)).append("</code> "));
            h.append("</dd>\n");
        });
        s.aliases().forEach((alias, version) -> h.append("<dt>@").append(Html.text(alias)).append("</dt><dd><code>")
                .append(Html.text(version)).append("</code></dd>\n"));
        h.append("</dl>\n</section>\n");

        versions(h, in);

        h.append("<section class=\"registry-events\">\n<h2>History, newest first</h2>\n");
        if (in.history().isEmpty()) {
            h.append("<p class=\"empty\">No events.</p>\n");
        } else {
            h.append("<div class=\"table-wrap\"><table class=\"history-table\">\n<thead><tr><th>Time</th><th class=\"num\">#</th>")
                    .append("<th>Event</th><th>Actor and build</th><th>Reason</th><th>Verdict</th></tr></thead>\n<tbody>\n");
            for (AuditEntry entry : in.history()) {
                RegistryEvent e = entry.event();
                String move = move(e);
                h.append("<tr><td class=\"index-time\">").append(time(e)).append("<div class=\"index-file\">commit ")
                        .append(Html.text(entry.commit().substring(0, Math.min(8, entry.commit().length()))))
                        .append("</div></td><td class=\"num\">").append(e.seq())
                        .append("</td><td class=\"cell-text\"><span class=\"event event-").append(e.type().id()).append("\">")
                        .append(e.type().id()).append("</span> <code>").append(Html.text(e.version())).append("</code>");
                if (!move.isEmpty()) {
                    h.append("<div class=\"event-move\">").append(Html.text(move)).append("</div>");
                }
                h.append("</td><td class=\"cell-text\">").append(Html.text(e.actor()));
                if (!e.approver().isEmpty()) {
                    h.append("<div class=\"index-file\">approved by ").append(Html.text(e.approver())).append("</div>");
                }
                build(h, e);
                h.append("</td><td class=\"cell-text\">").append(Html.text(e.reason())).append("</td><td>");
                String status = verdicts.getOrDefault(e.seq(), "");
                if (!status.isEmpty()) {
                    h.append("<span class=\"outcome outcome-").append(ReportIndex.statusClass(status)).append("\">")
                            .append(Html.text(status)).append("</span>");
                }
                h.append("</td></tr>\n");
            }
            h.append("</tbody></table></div>\n");
        }
        h.append("</section>\n<p class=\"footer\">Generated by Modelgate \u00b7 <a href=\"").append(ReportIndex.HTML)
                .append("\">all reports</a> \u00b7 also as <a href=\"").append(JSON).append("\">").append(JSON)
                .append("</a></p>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void versions(StringBuilder h, Input in) {
        if (in.versions().isEmpty()) {
            return;
        }
        h.append("<section class=\"registry-versions\">\n<h2>Versions</h2>\n<div class=\"table-wrap\"><table>\n<thead><tr>")
                .append("<th>Version</th><th>Stage</th><th>Created</th><th>Latest verdict</th><th>Description and tags</th>")
                .append("</tr></thead>\n<tbody>\n");
        List<ModelVersion> sorted = new ArrayList<>(in.versions());
        sorted.sort(Comparator.comparing(ModelVersion::createdAt).reversed());
        for (ModelVersion v : sorted) {
            h.append("<tr><td><code>").append(Html.text(v.version())).append("</code></td><td>")
                    .append(v.stage().isEmpty() ? "<span class=\"none\">none</span>" : Html.text(v.stage()))
                    .append("</td><td class=\"index-time\">").append(TIME.format(v.createdAt().atOffset(ZoneOffset.UTC)))
                    .append("<div class=\"index-file\">by ").append(Html.text(v.createdBy())).append("</div></td><td class=\"cell-text\">");
            v.latestVerdict().ifPresentOrElse(x -> h.append("<span class=\"outcome outcome-")
                            .append(ReportIndex.statusClass(x.status())).append("\">").append(Html.text(x.status()))
                            .append("</span> ").append(Html.text(x.summary())),
                    () -> h.append("<span class=\"none\">none</span>"));
            h.append("</td><td class=\"cell-text\">").append(Html.text(v.description()));
            new java.util.TreeMap<>(v.tags()).forEach((k, val) -> h.append("<div><span class=\"lineage-key\">")
                    .append(Html.text(k)).append("</span> <code>").append(Html.text(val)).append("</code></div>"));
            h.append("</td></tr>\n");
        }
        h.append("</tbody></table></div>\n</section>\n");
    }

    private static String time(RegistryEvent e) {
        return "<time datetime=\"" + Html.text(e.at().toString()) + "\">" + TIME.format(e.at().atOffset(ZoneOffset.UTC))
                + "</time>";
    }

    /** What moved: "staging \u2192 production (archived v1)", "@champion \u2192 v2", ... */
    static String move(RegistryEvent e) {
        String archived = e.displaced().isEmpty() ? "" : " (archived " + String.join(", ", e.displaced()) + ")";
        return switch (e.type()) {
            case PROMOTE -> (e.fromStage().isEmpty() ? "" : e.fromStage() + " \u2192 ") + e.stage() + archived;
            case ROLLBACK -> e.stage() + ": " + String.join(", ", e.displaced()) + " \u2192 " + e.version();
            case ARCHIVE -> (e.fromStage().isEmpty() ? "" : e.fromStage() + " \u2192 ") + "archived";
            case ALIAS_SET -> "@" + e.alias() + " \u2192 " + e.version();
            case ALIAS_REMOVE -> "@" + e.alias() + " removed";
            case REGISTER, ATTACH_VERDICT, LINK_LINEAGE, REJECT, OVERRIDE_REJECT, TAG_SET, TAG_UNSET, DESCRIBE, DEPRECATE,
                 ACCEPT_REWRITE -> "";
            case DEREGISTER -> e.fromStage().isEmpty() ? "deregistered" : e.fromStage() + " \u2192 deregistered";
        };
    }

    /** The build as a link when it is a web address; anything else (a javascript: URL, say) stays text. */
    private static void build(StringBuilder h, RegistryEvent e) {
        String url = e.build().buildUrl();
        String name = (e.build().jobName() + (e.build().buildNumber().isEmpty() ? "" : " #" + e.build().buildNumber())).strip();
        if (url.startsWith("https://") || url.startsWith("http://")) {
            h.append("<div class=\"index-file\"><a href=\"").append(Html.text(url)).append("\">")
                    .append(Html.text(name.isEmpty() ? url : name)).append("</a></div>");
        } else if (!url.isEmpty() || !name.isEmpty()) {
            h.append("<div class=\"index-file\">").append(Html.text(name.isEmpty() ? url : name + " " + url)).append("</div>");
        }
    }

    /**
     * The verdict status of the event's version as of each event: the verdict an attach-verdict event
     * recorded, else the latest one recorded for that version before it. Verdicts are stored on the
     * version oldest first, one per attach-verdict event, so the n-th such event of a version recorded
     * its n-th verdict.
     */
    static Map<Long, String> verdictAtEvent(Input in) {
        Map<String, List<VerdictRecord>> byVersion = new HashMap<>();
        in.versions().forEach(v -> byVersion.put(v.version(), v.verdicts()));
        List<RegistryEvent> oldestFirst = in.history().stream().map(AuditEntry::event)
                .sorted(Comparator.comparingLong(RegistryEvent::seq)).toList();
        // A limited history starts mid-way: count the verdicts attached before its first event as already seen.
        Map<String, Integer> attached = new HashMap<>();
        byVersion.forEach((version, list) -> attached.put(version, list.size() - (int) oldestFirst.stream()
                .filter(e -> e.type() == EventType.ATTACH_VERDICT && e.version().equals(version)).count()));
        Map<Long, String> status = new HashMap<>();
        for (RegistryEvent e : oldestFirst) {
            List<VerdictRecord> list = byVersion.get(e.version());
            if (list == null) {
                continue;
            }
            int n = attached.get(e.version());
            if (e.type() == EventType.ATTACH_VERDICT) {
                n++;
                attached.put(e.version(), n);
            }
            if (n > 0 && n <= list.size()) {
                status.put(e.seq(), list.get(n - 1).status());
            }
        }
        return status;
    }
}
