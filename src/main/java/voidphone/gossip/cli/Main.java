package voidphone.gossip.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Entry point of the {@code gossip} command: a plain list of subcommands. */
@Command(
    name = "gossip",
    description = "VoidPhone gossip module: run a peer, manage its hostkey, talk to its API.",
    versionProvider = VersionProvider.class,
    subcommands = {
      RunCommand.class,
      KeygenCommand.class,
      IdentityCommand.class,
      AnnounceCommand.class,
      SubscribeCommand.class,
      TestnetCommand.class,
      voidphone.gossip.sim.SimCommand.class,
    },
    footerHeading = "%nExit status:%n",
    footer = {
      "  0  success (run: stopped by SIGINT or SIGTERM)",
      "  1  the operation failed (connection refused, file exists, ...)",
      "  2  usage error, or a config or hostkey problem to fix"
    })
public final class Main implements Runnable {
  static final int EXIT_OK = 0;
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @Spec CommandSpec spec;

  @Mixin HelpOption help;

  @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the version and exit.")
  boolean version;

  private Main() {}

  public static void main(String[] args) {
    // stdout carries identities and notification text: UTF-8 whatever the locale says.
    PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
    PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
    int status = execute(out, err, args);
    StopOnSignal.exiting(status);
    System.exit(status);
  }

  /** Runs one command line to its exit status; {@code out} and {@code err} stand for stdout and stderr. */
  static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    // a subcommand with picocli's standard -V (sim) would print an empty line without a provider of its own
    commandLine.getSubcommands().values().forEach(sub -> sub.getCommandSpec().versionProvider(new VersionProvider()));
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler((e, line, parseResult) -> {
      if (e instanceof CliFailure failure) {
        line.getErr().println(failure.getMessage());
        line.getErr().flush();
        return failure.exitCode();
      }
      // Anything else is a bug, and then the stack trace is what a developer needs.
      e.printStackTrace(line.getErr());
      line.getErr().flush();
      return EXIT_FAILURE;
    });
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: run, keygen, identity, announce, subscribe, testnet or sim");
  }
}
