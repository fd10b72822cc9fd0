package io.modelgate.cli;

import picocli.CommandLine;

/**
 * A command that only groups subcommands ({@code modelgate}, {@code registry}, {@code registry alias}
 * ...): named without one, it prints its help and exits 0, so the way on is shown rather than an error.
 */
abstract class CommandGroup implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
