package voidphone.gossip.cli;

import picocli.CommandLine.Option;

/** {@code -h/--help} for every command, without the {@code --version} that picocli's standard adds. */
final class HelpOption {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  boolean help;
}
