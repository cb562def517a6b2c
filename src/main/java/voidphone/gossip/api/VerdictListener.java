package voidphone.gossip.api;

import voidphone.gossip.core.broadcast.Verdict;

/** Receives the one {@link Verdict} on an item handed to {@link ApiHub#deliverFromNetwork}. */
@FunctionalInterface
public interface VerdictListener {
  /** Called exactly once, on the node's event-loop thread, never from inside the delivering call. */
  void onVerdict(Verdict verdict);
}
