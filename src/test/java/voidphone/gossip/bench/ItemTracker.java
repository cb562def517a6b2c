package voidphone.gossip.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * Per item of a benchmark run: when it was published and how many receivers still lack it. Records,
 * for the measured items, the time from the publish until the last receiver has it ({@link
 * #allReached}) and until each receiver has it ({@link #eachDelivery}); an item's completion
 * releases whoever waits for it. Receivers report from any thread.
 */
final class ItemTracker {
  final Histogram allReached = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  final Histogram eachDelivery = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  private final CountDownLatch[] completed;
  private final AtomicLongArray sentAt;
  private final AtomicIntegerArray remaining;
  /** Nanoseconds from the publish until the last receiver had the item; 0 while incomplete. */
  private final AtomicLongArray completedAfter;
  private final int firstMeasured;

  /**
   * {@code items} items numbered from 0, each to reach {@code receivers} receivers; those from
   * {@code firstMeasured} on are measured (the ones before are the warm-up).
   */
  ItemTracker(int items, int receivers, int firstMeasured) {
    this.sentAt = new AtomicLongArray(items);
    this.remaining = new AtomicIntegerArray(items);
    this.completedAfter = new AtomicLongArray(items);
    this.completed = new CountDownLatch[items];
    for (int i = 0; i < items; i++) {
      remaining.set(i, receivers);
      completed[i] = new CountDownLatch(1);
    }
    this.firstMeasured = firstMeasured;
  }

  void sent(int seq) {
    sentAt.set(seq, System.nanoTime());
  }

  /** One receiver has item {@code seq} (each receiver reports each item once); others are ignored. */
  void received(int seq, long receivedNanos) {
    if (seq < 0 || seq >= sentAt.length()) return;
    // a histogram refuses what it cannot hold, and a refusal must not keep the item from completing
    long latency = Math.min(receivedNanos - sentAt.get(seq), allReached.getHighestTrackableValue());
    int left = remaining.decrementAndGet(seq);
    if (left < 0) return;
    if (seq >= firstMeasured) {
      synchronized (eachDelivery) {
        eachDelivery.recordValue(Math.max(0, latency));
      }
      if (left == 0) {
        synchronized (allReached) {
          allReached.recordValue(Math.max(0, latency));
        }
      }
    }
    if (left == 0) {
      completedAfter.set(seq, Math.max(1, latency));
      completed[seq].countDown();
    }
  }

  /** Waits until item {@code seq} reached every receiver, or until {@code deadline} (nanoTime). */
  void await(int seq, long deadline) throws InterruptedException {
    completed[seq].await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
  }

  /**
   * Items {@code from..to-1} lost: some receiver still lacks them, or the last one got it more
   * than {@code patienceNanos} after the publish.
   */
  int lost(int from, int to, long patienceNanos) {
    int n = 0;
    for (int i = from; i < to; i++) {
      if (remaining.get(i) > 0 || completedAfter.get(i) > patienceNanos) n++;
    }
    return n;
  }
}
