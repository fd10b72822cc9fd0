package io.modelgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line builds only the subcommand it runs, and all of them when it shows help. */
class MainTest {
    @Test
    void aNamedCommandIsBuiltAloneAndHelpGetsThemAll() {
        assertThat(Main.subcommandsFor("drift", "--reference", "r.csv")).containsExactly(DriftCommand.class);
        assertThat(Main.subcommandsFor("registry", "list")).containsExactly(RegistryCommand.class);
        assertThat(Main.subcommandsFor()).hasSize(10).contains(ValidateCommand.class, CommandLine.HelpCommand.class);
        assertThat(Main.subcommandsFor("help", "drift")).hasSize(10);
        assertThat(Main.subcommandsFor("drfit")).hasSize(10);
        assertThat(Main.subcommandsFor("--help")).hasSize(10);
        assertThat(Main.pick(RegistryCommand.SUBCOMMANDS, "resolve")).containsExactly(RegistryCommand.Resolve.class);
        assertThat(Main.pick(RegistryCommand.SUBCOMMANDS, "--help")).hasSize(RegistryCommand.SUBCOMMANDS.size());
    }

    @Test
    void helpListsEveryCommandAndEachCommandStillHasItsOwnHelp() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "--help")).isZero();
        assertThat(out.toString()).contains("validate", "drift", "demo", "registry", "lineage", "canary", "report", "bench",
                "step", "help");
        StringWriter driftHelp = new StringWriter();
        assertThat(Main.run(new PrintWriter(driftHelp, true), new PrintWriter(err, true), "help", "drift")).isZero();
        assertThat(driftHelp.toString()).contains("--reference", "--current");
        StringWriter misspelt = new StringWriter();
        assertThat(Main.run(new PrintWriter(out, true), new PrintWriter(misspelt, true), "drfit")).isEqualTo(Main.BAD_INPUT);
        assertThat(misspelt.toString()).contains("'drfit'");
    }
}
