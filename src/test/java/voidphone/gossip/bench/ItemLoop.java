package voidphone.gossip.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The workload of the network benchmarks: items of {@code size} bytes, the item's number in the
 * first four, each published at a random node, either each once the previous one reached every
 * receiver (rate 0, "sequential") or at a fixed rate (open loop: not waiting for the previous).
 */
final class ItemLoop {
  /** How long one item may take to reach every receiver before it counts as lost. */
  static final long ITEM_PATIENCE_SECONDS = 10;

  /** Publishes one item's bytes at the node numbered {@code origin}. */
  @FunctionalInterface
  interface Publisher {
    void publish(int origin, byte[] data) throws Exception;
  }

  private ItemLoop() {}

  /** The item number that {@link #run} wrote into an item's bytes, or -1 for data too short to carry one. */
  static int seqOf(byte[] data) {
    return data.length < 4 ? -1 : ByteBuffer.wrap(data).getInt(0);
  }

  /**
   * Publishes items {@code from..to-1}, at origins drawn from {@code random} among {@code nodes};
   * returns once every item arrived everywhere or waited {@link #ITEM_PATIENCE_SECONDS}. Each item
   * gets bytes of its own (a publisher may keep them).
   */
  static void run(ItemTracker tracker, int from, int to, int rate, int size, int nodes, SplittableRandom random,
      Publisher publisher) throws Exception {
    long interval = rate == 0 ? 0 : 1_000_000_000L / rate;
    long next = System.nanoTime();
    for (int seq = from; seq < to; seq++) {
      int origin = random.nextInt(nodes);
      byte[] data = new byte[size];
      ByteBuffer.wrap(data).putInt(0, seq);
      if (interval > 0) {
        next += interval;
        long wait = next - System.nanoTime();
        if (wait > 0) LockSupport.parkNanos(wait); // pacing an open-loop load, not waiting for an event
      }
      tracker.sent(seq);
      publisher.publish(origin, data);
      if (interval == 0) tracker.await(seq, System.nanoTime() + TimeUnit.SECONDS.toNanos(ITEM_PATIENCE_SECONDS));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ITEM_PATIENCE_SECONDS);
    for (int seq = from; seq < to; seq++) tracker.await(seq, deadline);
  }
}
