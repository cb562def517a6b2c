package voidphone.gossip.sim;

/**
 * One simulated connection between two nodes, shared by both ends. It models what the runtime
 * promises the core (see {@code MembershipIo}): one link per pair, in-order delivery, a failure
 * reported once per end, a close reported to the other end only.
 */
final class SimLink {
  enum State {
    OPEN,
    /** Closed by {@link #closer}: what it sent before still arrives, what it would receive is lost. */
    CLOSED,
    /** Broken (crash, loss, failed dial): nothing more arrives; each end learns after a delay. */
    BROKEN
  }

  final int a;
  final int b;
  State state = State.OPEN;
  int closer = -1;

  SimLink(int a, int b) {
    this.a = a;
    this.b = b;
  }

  int other(int node) {
    return node == a ? b : a;
  }

  /** Whether a message {@code from} sent on this link can still be received. */
  boolean carries(int from) {
    return state == State.OPEN || (state == State.CLOSED && closer == from);
  }
}
