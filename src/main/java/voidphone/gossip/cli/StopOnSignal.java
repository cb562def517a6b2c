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

  private StopOnSignal() {}

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
    int status = Main.EXIT_OK;
    try {
      running.close();
      log.info("stopped");
    } catch (Exception e) {
      log.error("stopped uncleanly: {}", e.toString());
      status = Main.EXIT_FAILURE;
    }
    // Left alone, the JVM would exit with 128 + the signal number (143 for SIGTERM) after the hooks;
    // halting here, as the last step of the hook, reports how the close went instead.
    Runtime.getRuntime().halt(status);
  }
}
