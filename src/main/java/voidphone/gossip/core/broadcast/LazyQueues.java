package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;

/**
 * Announcements waiting to be sent to lazy peers as batched IHAVEs.
 *
 * <p>Three bounds: an IHAVE carries at most {@code maxIds}; a peer gets at most {@code
 * maxMessagesPerFlush} IHAVEs per flush interval (a full batch goes out at once while that budget
 * lasts, the rest at the next flush); and at most {@code maxQueuedPerPeer} announcements wait for one
 * peer, the oldest dropped beyond that. So a burst of items costs each lazy link a bounded rate of
 * control traffic, and this node a bounded amount of memory.
 */
final class LazyQueues {

  /** One IHAVE to send. */
  record Batch(NodeId peer, IHave message) {}

  private static final class PeerQueue {
    final ArrayDeque<Announcement> waiting = new ArrayDeque<>();
    int sentThisInterval;
  }

  /**
   * {@link #peerHas} looks through a queue only up to this length: then an IHAVE of the wire's
   * 1,024 ids costs about as much to check as to decode, and a peer cannot amplify its messages into
   * our CPU. A queue this short is the common case (one flush interval's items); a longer one only
   * misses the saving.
   */
  static final int MAX_SCANNED = 32;

  private final int maxIds;
  private final int maxMessagesPerFlush;
  private final int maxQueuedPerPeer;
  private final Map<NodeId, PeerQueue> queues = new LinkedHashMap<>();

  LazyQueues(int maxIds, int maxMessagesPerFlush, int maxQueuedPerPeer) {
    this.maxIds = maxIds;
    this.maxMessagesPerFlush = maxMessagesPerFlush;
    this.maxQueuedPerPeer = maxQueuedPerPeer;
  }

  /** Outcome of {@link #enqueue}: a batch to send now (or null), and whether an old id was dropped. */
  record Enqueued(Batch sendNow, boolean droppedOldest) {}

  Enqueued enqueue(NodeId peer, Announcement announcement) {
    PeerQueue queue = queues.computeIfAbsent(peer, p -> new PeerQueue());
    boolean dropped = false;
    if (queue.waiting.size() >= maxQueuedPerPeer) {
      queue.waiting.pollFirst();
      dropped = true;
    }
    queue.waiting.addLast(announcement);
    Batch now = null;
    if (queue.waiting.size() >= maxIds && queue.sentThisInterval < maxMessagesPerFlush) {
      queue.sentThisInterval++;
      now = new Batch(peer, new IHave(take(queue.waiting)));
    }
    return new Enqueued(now, dropped);
  }

  /**
   * The flush timer fired: a new interval starts, and each peer gets what is queued for it, in
   * batches, up to its budget.
   */
  List<Batch> flush() {
    List<Batch> out = new ArrayList<>();
    for (Iterator<Map.Entry<NodeId, PeerQueue>> it = queues.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<NodeId, PeerQueue> e = it.next();
      PeerQueue queue = e.getValue();
      queue.sentThisInterval = 0;
      while (!queue.waiting.isEmpty() && queue.sentThisInterval < maxMessagesPerFlush) {
        queue.sentThisInterval++;
        out.add(new Batch(e.getKey(), new IHave(take(queue.waiting))));
      }
      // an idle peer's entry goes; one that just sent keeps its spent budget until the next flush
      if (queue.waiting.isEmpty() && queue.sentThisInterval == 0) {
        it.remove();
      }
    }
    return out;
  }

  /** Whether another flush is needed: something waits, or a spent budget must be reset. */
  boolean needsFlush() {
    return !queues.isEmpty();
  }

  /**
   * {@code peer} showed it has item {@code id} (it announced or pushed it to us): an announcement of
   * it still queued for that peer would tell it nothing, so it is taken out. On a lazy link both ends
   * queue each item for the other; whichever flushes first spares the other its ids. Returns
   * whether one was queued. A per-peer queue is scanned (a hash index per queued id cost more than
   * the ids it saved: measured), so only one of at most {@link #MAX_SCANNED} entries.
   */
  boolean peerHas(NodeId peer, ItemId id) {
    PeerQueue queue = queues.get(peer);
    if (queue == null || queue.waiting.size() > MAX_SCANNED) {
      return false;
    }
    for (Iterator<Announcement> it = queue.waiting.iterator(); it.hasNext(); ) {
      if (it.next().id().equals(id)) {
        it.remove();
        return true;
      }
    }
    return false;
  }

  void forget(NodeId peer) {
    queues.remove(peer);
  }

  int queued(NodeId peer) {
    PeerQueue queue = queues.get(peer);
    return queue == null ? 0 : queue.waiting.size();
  }

  private List<Announcement> take(ArrayDeque<Announcement> waiting) {
    int n = Math.min(maxIds, waiting.size());
    List<Announcement> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(waiting.pollFirst());
    }
    return batch;
  }
}
