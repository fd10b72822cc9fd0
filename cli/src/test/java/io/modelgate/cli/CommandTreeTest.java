package io.modelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import picocli.CommandLine;

/**
 * Walks every command and subcommand: each answers {@code --help} with its usage, each summary a parent lists is a
 * whole sentence, and {@code -V} prints the version wherever the help advertises it.
 */
class CommandTreeTest {
    record Run(int code, String out, String err) {
    }

    private static Run run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    /** Every command of the full command line, by the words that name it (the root: none), parents before children. */
    static Map<List<String>, CommandLine> tree() {
        CommandLine root = new CommandLine(new Main(Invocation.PROCESS));
        Main.subcommandsFor().forEach(c -> root.addSubcommand(Main.command(c)));
        Map<List<String>, CommandLine> all = new LinkedHashMap<>();
        walk(root, List.of(), all);
        return all;
    }

    private static void walk(CommandLine cl, List<String> path, Map<List<String>, CommandLine> all) {
        all.put(path, cl);
        // getSubcommands maps aliases too; the spec's own name is the one to type.
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals(sub.getCommandName())) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                walk(sub, List.copyOf(next), all);
            }
        });
    }

    private static String name(List<String> path) {
        return String.join(" ", Stream.concat(Stream.of("modelgate"), path.stream()).toList());
    }

    @Test
    void theTreeHoldsEveryCommandAndSubcommand() {
        assertThat(tree().keySet()).extracting(CommandTreeTest::name).contains("modelgate", "modelgate registry register",
                "modelgate registry alias set", "modelgate demo serve", "modelgate lineage flush", "modelgate canary abort",
                "modelgate report index", "modelgate bench drift", "modelgate step", "modelgate help");
        assertThat(tree()).hasSizeGreaterThan(35);
    }

    @TestFactory
    Stream<DynamicTest> everyCommandAnswersHelpWithItsUsage() {
        return tree().keySet().stream().map(path -> DynamicTest.dynamicTest(name(path) + " --help", () -> {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = run(args);
            assertThat(r.code()).as("exit code of %s --help; stderr: %s", name(path), r.err()).isZero();
            assertThat(r.err()).as("stderr").isEmpty();
            // picocli's own help command puts its header first; every other usage starts with its synopsis.
            assertThat(r.out()).as("usage").contains("Usage: " + name(path) + " ");
        }));
    }

    @TestFactory
    Stream<DynamicTest> everySummaryInACommandListIsAWholeSentence() {
        return tree().entrySet().stream().filter(e -> !e.getValue().getSubcommands().isEmpty())
                .map(e -> DynamicTest.dynamicTest(name(e.getKey()) + " lists whole sentences", () -> {
                    List<String> args = new ArrayList<>(e.getKey());
                    args.add("--help");
                    Map<String, String> summaries = summaries(run(args).out());
                    assertThat(summaries.keySet()).as("commands listed")
                            .containsExactlyInAnyOrderElementsOf(e.getValue().getSubcommands().keySet());
                    SoftAssertions soft = new SoftAssertions();
                    summaries.forEach((command, summary) -> soft.assertThat(summary).as("summary of %s", command)
                            .matches("\\p{Lu}.*[.]").doesNotEndWith("..."));
                    soft.assertAll();
                }));
    }

    @TestFactory
    Stream<DynamicTest> versionWorksWhereverItIsAdvertised() {
        return tree().entrySet().stream()
                .filter(e -> e.getValue().getCommandSpec().optionsMap().containsKey("-V"))
                .map(e -> DynamicTest.dynamicTest(name(e.getKey()) + " -V", () -> {
                    List<String> args = new ArrayList<>(e.getKey());
                    args.add("-V");
                    Run r = run(args);
                    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isZero();
                    assertThat(r.out()).startsWith("modelgate " + Main.version()).contains("Java ");
                    List<String> longForm = new ArrayList<>(e.getKey());
                    longForm.add("--version");
                    assertThat(run(longForm).out()).isEqualTo(r.out());
                }));
    }

    @Test
    void aCommandWithItsOwnVersionOptionStillHasHelpAndDoesNotAdvertiseMinusV() {
        for (List<String> path : List.of(List.of("registry", "register"), List.of("demo", "serve"))) {
            CommandLine cl = tree().get(path);
            assertThat(cl.getCommandSpec().optionsMap()).as(name(path)).containsKeys("-h", "--help", "--version")
                    .doesNotContainKey("-V");
            assertThat(run(List.of(path.get(0), path.get(1), "-h")).out()).startsWith("Usage: " + name(path))
                    .contains("--version=vX.Y.Z");
        }
    }

    /** The "Commands:" section of a usage message: each command's summary, its wrapped lines joined. */
    static Map<String, String> summaries(String usage) {
        Map<String, String> summaries = new LinkedHashMap<>();
        boolean inList = false;
        String current = null;
        for (String line : usage.split("\n", -1)) {
            if (line.equals("Commands:")) {
                inList = true;
            } else if (inList && line.isBlank()) {
                break;
            } else if (inList && line.matches("  \\S.*")) {
                String[] parts = line.strip().split("\\s+", 2);
                current = parts[0];
                summaries.put(current, parts.length > 1 ? parts[1].strip() : "");
            } else if (inList && current != null) {
                summaries.merge(current, line.strip(), (a, b) -> a.isEmpty() ? b : a + " " + b);
            }
        }
        return summaries;
    }
}
