package voidphone.gossip.api;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The hub's state for one API connection: its subscriptions and its pending notifications, keyed by
 * the message id it was given. Confined to the event-loop thread.
 */
final class ApiSession {
  /** Message ids are u16, so a connection can have at most this many notifications pending. */
  static final int MESSAGE_IDS = 1 << 16;

  final ClientLink link;
  final Set<Integer> subscriptions = new TreeSet<>();
  private final PendingTable pending = new PendingTable();
  /** Where the search for a free message id starts; rolling, so a freed id is not reused at once. */
  private int nextId;
  /** False once the connection is being closed: it gets no more notifications. */
  boolean open = true;
  /** True once its pending notifications were dropped; the session is then gone from the hub. */
  boolean released;
  /** ANNOUNCEs waiting to be admitted, in arrival order ({@link ApiHub#received}). */
  final ArrayDeque<ApiMessage.Announce> held = new ArrayDeque<>();
  /** Data bytes in {@link #held}. */
  int heldBytes;
  /** Reading was paused because {@link #heldBytes} passed the hub's limit. */
  boolean readingPaused;

  ApiSession(ClientLink link) {
    this.link = link;
  }

  /**
   * A message id not used by any of this connection's pending notifications, or -1 when all 65,536
   * are pending. Rolling through the whole range keeps a late VALIDATION for an expired id from
   * being mistaken for an answer to a fresh notification for as long as possible.
   */
  int allocateMessageId() {
    if (pending.size() >= MESSAGE_IDS) {
      return -1;
    }
    int id = nextId;
    while (pending.contains(id)) {
      id = (id + 1) & (MESSAGE_IDS - 1);
    }
    nextId = (id + 1) & (MESSAGE_IDS - 1);
    return id;
  }

  void addPending(PendingNotification p) {
    pending.put(p);
  }

  /** Removes and returns the pending notification answered by {@code messageId}, or null. */
  PendingNotification takePending(int messageId) {
    PendingNotification p = pending.remove(messageId);
    if (p != null) {
      p.pending = false;
    }
    return p;
  }

  /** Withdraws one pending notification whose item was decided without this connection's answer. */
  void withdraw(PendingNotification p) {
    if (p.pending) {
      p.pending = false;
      pending.remove(p.messageId);
    }
  }

  /** Removes every pending notification and returns them, for when the connection is gone. */
  List<PendingNotification> takeAllPending() {
    List<PendingNotification> all = pending.removeAll();
    for (PendingNotification p : all) {
      p.pending = false;
    }
    return all;
  }

  void hold(ApiMessage.Announce a) {
    held.addLast(a);
    heldBytes += a.data().length;
  }

  ApiMessage.Announce unhold() {
    ApiMessage.Announce a = held.pollFirst();
    heldBytes -= a.data().length;
    return a;
  }

  int pendingCount() {
    return pending.size();
  }
}
