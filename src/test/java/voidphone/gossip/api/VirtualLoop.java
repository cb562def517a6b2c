package voidphone.gossip.api;

import java.time.Duration;
import java.util.Comparator;
import java.util.PriorityQueue;

/** A single-threaded {@link LoopScheduler} on a virtual clock: time moves only when a test says so. */
final class VirtualLoop implements LoopScheduler {
  private record Task(long due, long seq, Runnable body) {}

  private final PriorityQueue<Task> tasks =
      new PriorityQueue<>(Comparator.comparingLong(Task::due).thenComparingLong(Task::seq));
  private long now;
  private long seq;

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    tasks.add(new Task(now, seq++, task));
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    tasks.add(new Task(now + delayNanos, seq++, task));
  }

  /** Runs every task that is due now, including those they queue for now. */
  void runDue() {
    advance(Duration.ZERO);
  }

  /** Moves the clock forward by {@code d}, running every task that falls due on the way, in order. */
  void advance(Duration d) {
    long target = now + d.toNanos();
    while (!tasks.isEmpty() && tasks.peek().due() <= target) {
      Task t = tasks.poll();
      now = t.due();
      t.body().run();
    }
    now = target;
  }
}
