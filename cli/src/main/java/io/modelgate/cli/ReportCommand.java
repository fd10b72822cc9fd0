package io.modelgate.cli;

import io.modelgate.report.ReportIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Index the pages of a report directory; see docs/reports.md.",
        subcommands = {ReportCommand.Index.class})
final class ReportCommand extends CommandGroup {
    @Command(name = "index", mixinStandardHelpOptions = true,
            description = {"Write index.html: a link to every page in the report directory with its status and summary.",
                    "Every command that writes a page does this too; run it after copying pages in by hand."})
    static final class Index extends CliCommand {
        @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = "${env:MODELGATE_REPORT_DIR:-modelgate-reports}",
                description = "The report directory (default: ${DEFAULT-VALUE}; env MODELGATE_REPORT_DIR).")
        Path reportDir;

        @Option(names = "--json", description = "Print the pages listed as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            // A typo in the directory should not silently create an empty index somewhere else.
            if (!Files.isDirectory(reportDir)) {
                throw new UsageException("--report-dir: " + reportDir + " is not a directory");
            }
            ReportIndex.Index index = ReportIndex.refresh(reportDir);
            Terminal out = Terminal.out(spec);
            if (json) {
                var mapper = io.modelgate.common.RecordJson.mapper();
                var doc = mapper.createObjectNode();
                doc.put("index", index.page().toString());
                doc.set("pages", mapper.valueToTree(index.entries()));
                out.raw().println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
            } else {
                out.line("Index: " + index.page().toUri() + " (" + index.entries().size()
                        + (index.entries().size() == 1 ? " page)" : " pages)"));
                index.entries().forEach(e -> out.line("  %-14s %-12s %s", e.page(), e.status().isEmpty() ? "-" : e.status(),
                        e.summary()));
            }
            out.flush();
            return Main.OK;
        }
    }
}
