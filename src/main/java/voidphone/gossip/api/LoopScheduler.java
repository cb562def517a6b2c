package voidphone.gossip.api;

/**
 * What the hub needs from its event loop: a clock, running a task after the current one, and
 * running a task after a delay. Netty's event loop in production; a virtual clock in the hub's unit
 * tests, so validation timeouts are tested without waiting.
 */
interface LoopScheduler {
  /** A monotonic clock in nanoseconds, the one {@link #schedule} delays are measured on. */
  long nanoTime();

  /** Runs {@code task} on the loop thread after the currently running task. */
  void execute(Runnable task);

  /** Runs {@code task} on the loop thread once {@code delayNanos} have passed. */
  void schedule(long delayNanos, Runnable task);
}
