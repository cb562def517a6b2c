package voidphone.gossip.node;

/** Monotonic milliseconds for the cores; the simulator and tests use virtual ones. */
@FunctionalInterface
interface NodeClock {
  long millis();

  /** Milliseconds since this clock was made, from {@link System#nanoTime()} (immune to wall-clock jumps). */
  static NodeClock monotonic() {
    long origin = System.nanoTime();
    return () -> (System.nanoTime() - origin) / 1_000_000;
  }
}
