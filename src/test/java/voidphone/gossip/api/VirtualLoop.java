package voidphone.gossip.api;

import java.time.Duration;
import voidphone.gossip.sim.VirtualClock;

/**
 * A single-threaded {@link LoopScheduler} on the tests' {@link VirtualClock}: time moves only when
 * a test says so. The clock counts whole milliseconds; a delay is rounded up to the next one, so a
 * task never runs early.
 */
final class VirtualLoop implements LoopScheduler {
  private final VirtualClock clock = new VirtualClock();

  @Override
  public long nanoTime() {
    return clock.now() * 1_000_000;
  }

  @Override
  public void execute(Runnable task) {
    clock.after(0, task);
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    clock.after(Math.ceilDiv(Math.max(0, delayNanos), 1_000_000), task);
  }

  /** Runs every task that is due now, including those they queue for now. */
  void runDue() {
    clock.runDue();
  }

  /** Moves the clock forward by {@code d} (whole milliseconds), running what falls due on the way. */
  void advance(Duration d) {
    if (d.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException("the virtual clock counts whole milliseconds: " + d);
    }
    clock.advance(d.toMillis());
  }
}
