package voidphone.gossip.sim;

/**
 * Something that happens to one node at one virtual instant, or a test's task ({@link Kind#TASK}).
 * One small class for every kind keeps the queue monomorphic and the per-event cost to one
 * allocation.
 */
final class Event {
  enum Kind {
    /** {@code payload} (a protocol message) from {@code peer} arrives at {@code node} on {@code link}. */
    DELIVER,
    /** {@code payload} (a protocol timer) fires at {@code node}. */
    TIMER,
    /** {@code link} from {@code node} to {@code peer} broke (crash, loss, failed dial): detected now. */
    LINK_BROKEN,
    /** {@code peer} closed {@code link}; the close reaches {@code node} now. */
    REMOTE_CLOSE,
    /** The handshake of {@code link} (to {@code peer}) completed at {@code node}'s end. */
    LINK_UP,
    /** {@code node} closed its {@code link} to {@code peer}; its core hears of it now. */
    LOCAL_CLOSE,
    /** The dial {@code payload} of {@code node} found nobody answering. */
    DIAL_FAILED,
    /** The dial {@code payload} of {@code node} reached a peer that banned it and refused the handshake. */
    DIAL_REFUSED,
    /** The dial {@code payload} of {@code node} reached a peer it is linked to already. */
    ALREADY_LINKED,
    /** Reading at {@code node}'s end of {@code link} (from {@code peer}) may go on: its backlog is delivered. */
    RESUME_READING,
    /** {@code payload} is a {@link Runnable} a test scheduled; the clock runs it itself. */
    TASK
  }

  final long time;
  final long seq;
  final Kind kind;
  final int node;
  final int peer;
  final Object payload;
  final SimLink link;

  Event(long time, long seq, Kind kind, int node, int peer, Object payload, SimLink link) {
    this.time = time;
    this.seq = seq;
    this.kind = kind;
    this.node = node;
    this.peer = peer;
    this.payload = payload;
    this.link = link;
  }

  /** Earlier time first; at equal times, the one scheduled first (this is what makes runs repeat). */
  boolean before(Event other) {
    return time < other.time || (time == other.time && seq < other.seq);
  }
}
