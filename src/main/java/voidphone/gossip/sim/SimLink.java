package voidphone.gossip.sim;

/**
 * One simulated connection between two nodes, shared by both ends. It models what the runtime's
 * links promise the node core: one link per pair, a handshake that takes time and completes at
 * the two ends at different moments, in-order delivery, and one failure or close report per end.
 */
final class SimLink {
  enum State {
    /** Dialled; the handshake is under way at one end or both (see {@link #upAt}). */
    CONNECTING,
    /** Up at the accepting end at least: messages flow. */
    OPEN,
    /** Closed by {@link #closer}: what it sent before still arrives, what it would receive is lost. */
    CLOSED,
    /** Broken (crash, loss, partition, failed dial): nothing more arrives; each end learns after a delay. */
    BROKEN
  }

  /** The dialling end. */
  final int a;
  /** The accepting end. */
  final int b;
  State state = State.CONNECTING;
  int closer = -1;
  private boolean upAtA;
  private boolean upAtB;

  SimLink(int a, int b) {
    this.a = a;
    this.b = b;
  }

  int other(int node) {
    return node == a ? b : a;
  }

  /** Whether the link is up at {@code node}'s end: its core was told so. */
  boolean upAt(int node) {
    return node == a ? upAtA : upAtB;
  }

  void markUp(int node) {
    if (node == a) {
      upAtA = true;
    } else {
      upAtB = true;
    }
    if (state == State.CONNECTING) {
      state = State.OPEN;
    }
  }

  /** Whether a message {@code from} sent on this link can still be received. */
  boolean carries(int from) {
    return state == State.OPEN || (state == State.CLOSED && closer == from);
  }

  /** Whether nothing has ended it yet (connecting or open). */
  boolean live() {
    return state == State.CONNECTING || state == State.OPEN;
  }
}
