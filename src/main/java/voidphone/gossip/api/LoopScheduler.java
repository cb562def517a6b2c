package voidphone.gossip.api;

/**
 * The two things the hub needs from its event loop: run a task after the current one, and run a
 * task after a delay. Netty's event loop in production; a virtual clock in the hub's unit tests, so
 * validation timeouts are tested without waiting.
 */
interface LoopScheduler {
  /** Runs {@code task} on the loop thread after the currently running task. */
  void execute(Runnable task);

  /** Runs {@code task} on the loop thread after {@code delayNanos}, unless cancelled first. */
  Cancellable schedule(long delayNanos, Runnable task);

  /** A scheduled task that has not run yet. */
  interface Cancellable {
    /** Makes sure the task never runs; harmless when it already ran. */
    void cancel();
  }
}
