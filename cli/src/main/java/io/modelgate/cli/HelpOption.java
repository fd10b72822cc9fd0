package io.modelgate.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} alone, for a command with an option of its own named {@code --version}: picocli's standard
 * help options would clash with it, and picocli then drops them silently (so {@code --help} stopped working).
 */
final class HelpOption {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;
}
