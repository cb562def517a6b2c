package voidphone.gossip.core.broadcast;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;

/**
 * Per sender: how many of its items were handed to the local modules and await their verdict, and
 * the items it sent beyond that, held back in arrival order. A verdict opens the window for the next
 * held item. Why: a peer that floods invalid items would otherwise have every one of them judged
 * before the first verdicts (and the ban they bring) are back; with a window of {@code w} and the
 * ban at the fourth invalid verdict, at most {@code w + 3} of its items reach the modules. An honest
 * sender's items are only delayed, by a validation round trip per window, never dropped while its
 * share of the held items has room.
 *
 * <p>Held items are not marked seen: if another neighbour delivers the same item first, that copy
 * is the one handed on, and the held one is dropped when its turn comes.
 */
final class SenderWindows {
  private static final class Sender {
    int unjudged;
    final ArrayDeque<Gossip> held = new ArrayDeque<>();
  }

  private final int window;
  private final Map<NodeId, Sender> senders = new HashMap<>();
  private int heldTotal;

  /** @param window most items of one sender awaiting a verdict at once */
  SenderWindows(int window) {
    this.window = window;
  }

  /** Whether an item from {@code from} may go to the modules now (window open, none held before it). */
  boolean isOpen(NodeId from) {
    Sender s = senders.get(from);
    return s == null || (s.unjudged < window && s.held.isEmpty());
  }

  /** An item from {@code from} went to the modules. */
  void handedOn(NodeId from) {
    senders.computeIfAbsent(from, k -> new Sender()).unjudged++;
  }

  /**
   * Holds {@code item} from {@code from} until its window opens, unless that sender already holds
   * {@code maxHeld}: returns whether it was held.
   */
  boolean hold(NodeId from, Gossip item, int maxHeld) {
    Sender s = senders.computeIfAbsent(from, k -> new Sender());
    if (s.held.size() >= maxHeld) {
      forgetIfIdle(from, s);
      return false;
    }
    s.held.addLast(item);
    heldTotal++;
    return true;
  }

  /** The verdict on one of {@code from}'s items came: its window has room for one more. */
  void judged(NodeId from) {
    Sender s = senders.get(from);
    if (s != null) { // else forgotten while the verdict was pending
      s.unjudged = Math.max(0, s.unjudged - 1);
      forgetIfIdle(from, s);
    }
  }

  /** The oldest item {@code from} has held, taken out if its window has room; null otherwise. */
  Gossip takeNext(NodeId from) {
    Sender s = senders.get(from);
    if (s == null || s.unjudged >= window || s.held.isEmpty()) {
      return null;
    }
    heldTotal--;
    Gossip next = s.held.pollFirst();
    forgetIfIdle(from, s);
    return next;
  }

  /** Drops what {@code from} has held (it left or was banned); its pending verdicts still count. */
  void dropHeld(NodeId from) {
    Sender s = senders.get(from);
    if (s != null) {
      heldTotal -= s.held.size();
      s.held.clear();
      forgetIfIdle(from, s);
    }
  }

  /** Items held back, over all senders. */
  int held() {
    return heldTotal;
  }

  int held(NodeId from) {
    Sender s = senders.get(from);
    return s == null ? 0 : s.held.size();
  }

  private void forgetIfIdle(NodeId from, Sender s) {
    if (s.unjudged == 0 && s.held.isEmpty()) {
      senders.remove(from);
    }
  }
}
