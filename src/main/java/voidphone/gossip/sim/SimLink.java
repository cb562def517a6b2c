package voidphone.gossip.sim;

import java.util.ArrayDeque;

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
  /** What each end's reader keeps beyond being up; made the first time it is needed. */
  private Reader readerAtA;
  private Reader readerAtB;

  /** One end's reading: paused or not, what waits, and what its core handled during an attack. */
  private static final class Reader {
    long pausedUntil = Long.MIN_VALUE;
    /**
     * Messages that arrived while its core had paused reading (Output.PauseReading), in arrival
     * order. What arrives while a backlog waits joins it, so the link stays in order.
     */
    final ArrayDeque<Object> backlog = new ArrayDeque<>();
    /** Messages its core handled while an attack ran, and when the first and the last came. */
    long handled;
    long first;
    long last;
  }

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

  /** Reading at {@code node}'s end stops until {@code untilMillis}. */
  void pauseReading(int node, long untilMillis) {
    reader(node, true).pausedUntil = untilMillis;
  }

  /** Whether what arrives at {@code node}'s end at {@code nowMillis} must wait in its backlog. */
  boolean holdsAt(int node, long nowMillis) {
    Reader r = reader(node, false);
    return r != null && (nowMillis < r.pausedUntil || !r.backlog.isEmpty());
  }

  /** Adds {@code message} to {@code node}'s backlog; returns whether it was the first (a resume is due). */
  boolean hold(int node, Object message) {
    ArrayDeque<Object> backlog = reader(node, true).backlog;
    backlog.addLast(message);
    return backlog.size() == 1;
  }

  /** The next message of {@code node}'s backlog, or null when it is empty. */
  Object nextHeld(int node) {
    Reader r = reader(node, false);
    return r == null ? null : r.backlog.pollFirst();
  }

  long pausedUntil(int node) {
    Reader r = reader(node, false);
    return r == null ? Long.MIN_VALUE : r.pausedUntil;
  }

  /** How many messages wait in {@code node}'s backlog. */
  int heldAt(int node) {
    Reader r = reader(node, false);
    return r == null ? 0 : r.backlog.size();
  }

  /** {@code node}'s core handled a message from this link at {@code nowMillis}, during an attack. */
  void handledAt(int node, long nowMillis) {
    Reader r = reader(node, true);
    if (r.handled++ == 0) {
      r.first = nowMillis;
    }
    r.last = nowMillis;
  }

  /** Messages {@code node}'s core handled from this link during the attack. */
  long handledAt(int node) {
    Reader r = reader(node, false);
    return r == null ? 0 : r.handled;
  }

  /** Milliseconds from the first to the last of them. */
  long handledSpanAt(int node) {
    Reader r = reader(node, false);
    return r == null ? 0 : r.last - r.first;
  }

  private Reader reader(int node, boolean create) {
    if (node == a) {
      if (readerAtA == null && create) {
        readerAtA = new Reader();
      }
      return readerAtA;
    }
    if (readerAtB == null && create) {
      readerAtB = new Reader();
    }
    return readerAtB;
  }
}
