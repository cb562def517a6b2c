package voidphone.gossip.cli;

/**
 * An expected failure of a command: its message is shown as one line on stderr, without a stack
 * trace, and the process exits with {@link #exitCode()}.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliFailure(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  /** A failure of the operation itself: exit 1. */
  static CliFailure runtime(String message) {
    return new CliFailure(Main.EXIT_FAILURE, message);
  }

  /** A config or hostkey the operator must fix: exit 2, like a usage error. */
  static CliFailure config(String message) {
    return new CliFailure(Main.EXIT_USAGE, message);
  }

  int exitCode() {
    return exitCode;
  }
}
