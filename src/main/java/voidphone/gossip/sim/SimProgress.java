package voidphone.gossip.sim;

import java.io.Console;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress of a long {@code gossip sim} run on stderr: a 10,000-node run takes minutes of wall time
 * and prints its figures only at the end, so without it an operator cannot tell a slow run from a
 * stuck one. On a terminal it is one status line that rewrites itself; otherwise (a log file, a
 * pipe) a line every interval.
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
  private final boolean terminal;
  private final PrintWriter err;
  /** Whether a status line is on the terminal, to end with a newline before the report. */
  private boolean lineShown;
  /** Set by {@link #close}: a report already under way prints nothing after the run's end. */
  private boolean closed;

  private SimProgress(PrintWriter err, long intervalMillis, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
    timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "sim-progress");
      thread.setDaemon(true); // never what keeps the JVM alive
      return thread;
    });
    timer.scheduleAtFixedRate(() -> report(err), intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
  }

  /** Prints a progress line every {@code intervalMillis} of wall time until closed; 0: never. */
  static SimProgress every(PrintWriter err, long intervalMillis) {
    return intervalMillis > 0 ? new SimProgress(err, intervalMillis, onTerminal()) : null;
  }

  /** Whether this process talks to a terminal (then a rewritten line beats a scrolling log). */
  private static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try { // JDK 22+: a console may exist without a terminal; isTerminal() tells
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: there is a console only on a terminal
    }
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
    String line = String.format(Locale.ROOT, "sim: running for %.0f s of wall time, %s, heap %d MiB",
        wall / 1000.0, where, heap >> 20);
    synchronized (err) {
      if (closed) {
        return;
      }
      if (terminal) {
        err.print("\r" + line + "\u001b[K"); // back to the line's start, then clear what is left
        lineShown = true;
      } else {
        err.println(line);
      }
      err.flush();
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    current = null;
    synchronized (err) {
      closed = true;
      if (lineShown) {
        err.println();
        err.flush();
      }
    }
  }
}
