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
  /**
   * Messages that arrived at an end while its core had paused reading (Output.PauseReading), in
   * arrival order; null while there are none. What arrives while a backlog waits joins it, so the
   * link stays in order.
   */
  private ArrayDeque<Object> backlogAtA;
  private ArrayDeque<Object> backlogAtB;
  private long pausedUntilAtA = Long.MIN_VALUE;
  private long pausedUntilAtB = Long.MIN_VALUE;
  /**
   * Messages each end's core handled from this link while an attack ran, and when the first and
   * the last of them came: the rate one peer's messages were handled at.
   */
  private long handledAtA;
  private long handledAtB;
  private long firstAtA;
  private long firstAtB;
  private long lastAtA;
  private long lastAtB;

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
    if (node == a) {
      pausedUntilAtA = untilMillis;
    } else {
      pausedUntilAtB = untilMillis;
    }
  }

  /** Whether what arrives at {@code node}'s end at {@code nowMillis} must wait in its backlog. */
  boolean holdsAt(int node, long nowMillis) {
    return nowMillis < (node == a ? pausedUntilAtA : pausedUntilAtB) || backlog(node, false) != null;
  }

  /** Adds {@code message} to {@code node}'s backlog; returns whether it was the first (a resume is due). */
  boolean hold(int node, Object message) {
    ArrayDeque<Object> backlog = backlog(node, true);
    backlog.addLast(message);
    return backlog.size() == 1;
  }

  /** The next message of {@code node}'s backlog, or null when it is empty (and then it is gone). */
  Object nextHeld(int node) {
    ArrayDeque<Object> backlog = backlog(node, false);
    if (backlog == null) {
      return null;
    }
    Object next = backlog.pollFirst();
    if (backlog.isEmpty()) {
      if (node == a) {
        backlogAtA = null;
      } else {
        backlogAtB = null;
      }
    }
    return next;
  }

  long pausedUntil(int node) {
    return node == a ? pausedUntilAtA : pausedUntilAtB;
  }

  private ArrayDeque<Object> backlog(int node, boolean create) {
    if (node == a) {
      if (backlogAtA == null && create) {
        backlogAtA = new ArrayDeque<>();
      }
      return backlogAtA;
    }
    if (backlogAtB == null && create) {
      backlogAtB = new ArrayDeque<>();
    }
    return backlogAtB;
  }

  /** How many messages wait in {@code node}'s backlog. */
  int heldAt(int node) {
    ArrayDeque<Object> backlog = backlog(node, false);
    return backlog == null ? 0 : backlog.size();
  }

  /** {@code node}'s core handled a message from this link at {@code nowMillis}, during an attack. */
  void handledAt(int node, long nowMillis) {
    if (node == a) {
      firstAtA = handledAtA++ == 0 ? nowMillis : firstAtA;
      lastAtA = nowMillis;
    } else {
      firstAtB = handledAtB++ == 0 ? nowMillis : firstAtB;
      lastAtB = nowMillis;
    }
  }

  /** Messages {@code node}'s core handled from this link during the attack. */
  long handledAt(int node) {
    return node == a ? handledAtA : handledAtB;
  }

  /** Milliseconds from the first to the last of them. */
  long handledSpanAt(int node) {
    return node == a ? lastAtA - firstAtA : lastAtB - firstAtB;
  }
}
