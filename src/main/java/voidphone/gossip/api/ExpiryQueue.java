package voidphone.gossip.api;

/**
 * The deliveries still waiting for VALIDATIONs, oldest first. Every delivery gets the same timeout,
 * so the order they were notified in is the order they expire in: a linked list with O(1) insert
 * and removal and one loop timer, armed for the oldest, does the work of a timer per item (which
 * cost a priority-queue insert and removal, and an allocation, for every item).
 */
final class ExpiryQueue {
  private final LoopScheduler scheduler;
  private final long timeoutNanos;
  private final Runnable fire = this::expireDue;
  private Delivery oldest;
  private Delivery newest;
  private int size;
  private boolean armed;

  ExpiryQueue(LoopScheduler scheduler, long timeoutNanos) {
    this.scheduler = scheduler;
    this.timeoutNanos = timeoutNanos;
  }

  /** Starts {@code d}'s timeout now. */
  void add(Delivery d) {
    d.deadline = scheduler.nanoTime() + timeoutNanos;
    d.queue = this;
    d.newer = null;
    d.older = newest;
    if (newest == null) {
      oldest = d;
    } else {
      newest.newer = d;
    }
    newest = d;
    size++;
    if (!armed) {
      arm(scheduler.nanoTime());
    }
  }

  /** Stops {@code d}'s timeout; harmless when it is not queued. */
  void remove(Delivery d) {
    if (d.queue != this) {
      return;
    }
    if (d.older == null) {
      oldest = d.newer;
    } else {
      d.older.newer = d.newer;
    }
    if (d.newer == null) {
      newest = d.older;
    } else {
      d.newer.older = d.older;
    }
    d.older = d.newer = null;
    d.queue = null;
    size--;
  }

  int size() {
    return size;
  }

  private void arm(long now) {
    armed = true;
    scheduler.schedule(Math.max(0, oldest.deadline - now), fire);
  }

  /**
   * Expires every delivery whose deadline passed, then re-arms for the next one. The timer may find
   * nothing due when the delivery it was armed for was decided meanwhile; it then just re-arms.
   */
  private void expireDue() {
    armed = false;
    long now = scheduler.nanoTime();
    while (oldest != null && oldest.deadline - now <= 0) {
      Delivery d = oldest;
      remove(d);
      d.expire();
    }
    if (oldest != null && !armed) {
      arm(now);
    }
  }
}
