package voidphone.gossip.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running command alive until SIGINT or SIGTERM, then closes what it runs and ends the
 * process with status 0: a stop the operator asked for is a success.
 */
final class StopOnSignal {
  private static final Logger log = LoggerFactory.getLogger(StopOnSignal.class);

  /** The status the command returned, once it has; -1 while it runs (a signal ends it). */
  private static volatile int commandStatus = -1;

  private StopOnSignal() {}

  /**
   * Called with a command's status just before the process exits with it: the shutdown hook then
   * keeps it. Without this a command that failed after {@link #closeOnSignal} (a testnet node whose
   * port is taken) would be reported as a stop the operator asked for, status 0.
   */
  static void exiting(int status) {
    commandStatus = status;
  }

  /**
   * From now on SIGINT and SIGTERM close {@code running} and end the process. Call it before saying
   * "running": a signal that comes earlier would end the process without closing anything.
   */
  static void closeOnSignal(AutoCloseable running) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running), "gossip-shutdown"));
  }

  /** Never returns: the process ends from the shutdown hook. */
  static void blockForever() throws InterruptedException {
    new CountDownLatch(1).await();
  }

  private static void stop(AutoCloseable running) {
    log.info("stopping");
    int status = commandStatus >= 0 ? commandStatus : Main.EXIT_OK;
    try {
      running.close();
      log.info("stopped");
    } catch (Exception e) {
      log.error("stopped uncleanly: {}", e.toString());
      status = status == Main.EXIT_OK ? Main.EXIT_FAILURE : status;
    }
    // Left alone, the JVM would exit with 128 + the signal number (143 for SIGTERM) after the hooks;
    // halting here, as the last step of the hook, reports how the close went instead.
    Runtime.getRuntime().halt(status);
  }
}
