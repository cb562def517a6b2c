package voidphone.gossip.sim;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress lines of a long {@code gossip sim} run on stderr: a 10,000-node run takes minutes of
 * wall time and prints its figures only at the end, so without these an operator cannot tell a
 * slow run from a stuck one.
 *
 * <p>The simulation runs on one thread; this reads the virtual clock of the simulation made last
 * from another. The read is not synchronised: a progress line may show a virtual time a little
 * behind, never a wrong figure in the report.
 */
final class SimProgress implements AutoCloseable {
  /** The simulation made last in this JVM; the one a progress line describes. */
  private static volatile Simulation current;

  private final ScheduledExecutorService timer;
  private final long startNanos = System.nanoTime();

  private SimProgress(PrintWriter err, long intervalMillis) {
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sim-progress");
      thread.setDaemon(true); // never what keeps the JVM alive
      return thread;
    });
    timer.scheduleAtFixedRate(() -> report(err), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Prints a progress line every {@code intervalMillis} of wall time until closed; 0: never. */
  static SimProgress every(PrintWriter err, long intervalMillis) {
    return intervalMillis > 0 ? new SimProgress(err, intervalMillis) : null;
  }

  /** Called by each new {@link Simulation}. */
  static void started(Simulation sim) {
    current = sim;
  }

  private void report(PrintWriter err) {
    Simulation sim = current;
    long wall = (System.nanoTime() - startNanos) / 1_000_000;
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    String where = sim == null ? "setting up" : String.format(Locale.ROOT, "virtual time %.1f s", sim.now() / 1000.0);
    synchronized (err) {
      err.println(String.format(Locale.ROOT, "sim: running for %.0f s of wall time, %s, heap %d MiB",
          wall / 1000.0, where, heap >> 20));
      err.flush();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    current = null;
  }
}
