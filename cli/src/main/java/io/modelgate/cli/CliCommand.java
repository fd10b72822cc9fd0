package io.modelgate.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that does work: picocli hands it its own spec, through which it prints (to the
 * command line's writers, which tests and the plugin capture) and reads how it was invoked.
 */
abstract class CliCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
}
