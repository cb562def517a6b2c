package voidphone.gossip.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import voidphone.gossip.core.broadcast.Verdict;

/**
 * One item notified to a set of local subscribers, waiting for their VALIDATIONs.
 *
 * <p>An item from the network has a {@link VerdictListener} and gates forwarding: it is decided
 * VALID when every notified subscriber that is still connected said valid (and at least one did),
 * INVALID at the first invalid, EXPIRED when the validation timeout fires first, and UNWANTED when
 * every notified subscriber disconnected without answering. Once decided, the subscribers' other
 * message ids are withdrawn: a later answer to them is an unknown id.
 *
 * <p>A locally announced item has no listener: the node already spread it, so answers are accepted
 * (freeing their ids) but change nothing, and an invalid answer does not cut the others short.
 */
final class Delivery {
  private final VerdictListener listener;
  private final List<PendingNotification> notified;
  private int outstanding;
  private boolean anyValid;
  private boolean decided;
  // links and deadline in the ExpiryQueue, which owns them
  ExpiryQueue queue;
  Delivery older;
  Delivery newer;
  long deadline;

  private Delivery(VerdictListener listener, int expectedSubscribers) {
    this.listener = listener;
    this.notified = new ArrayList<>(expectedSubscribers);
  }

  static Delivery fromNetwork(VerdictListener listener, int expectedSubscribers) {
    return new Delivery(listener, expectedSubscribers);
  }

  static Delivery local(int expectedSubscribers) {
    return new Delivery(null, expectedSubscribers);
  }

  void add(PendingNotification p) {
    notified.add(p);
    outstanding++;
  }

  int notifiedCount() {
    return notified.size();
  }

  void forEachNotified(Consumer<PendingNotification> action) {
    notified.forEach(action);
  }

  /** A subscriber's VALIDATION; its pending entry was already taken from its session. */
  void answered(boolean valid) {
    if (decided) {
      return;
    }
    outstanding--;
    if (listener != null && !valid) {
      decide(Verdict.INVALID);
      return;
    }
    anyValid |= valid;
    if (outstanding == 0) {
      decide(Verdict.VALID);
    }
  }

  /** A notified subscriber disconnected before answering: it is no longer waited for. */
  void subscriberGone() {
    if (decided) {
      return;
    }
    outstanding--;
    if (outstanding == 0) {
      decide(anyValid ? Verdict.VALID : Verdict.UNWANTED);
    }
  }

  /** The validation timeout passed; called by the {@link ExpiryQueue} after it let go of it. */
  void expire() {
    if (!decided) {
      decide(Verdict.EXPIRED);
    }
  }

  private void decide(Verdict verdict) {
    decided = true;
    if (queue != null) {
      queue.remove(this);
    }
    for (PendingNotification p : notified) {
      p.session.withdraw(p);
    }
    if (listener != null) {
      listener.onVerdict(verdict);
    }
  }
}
