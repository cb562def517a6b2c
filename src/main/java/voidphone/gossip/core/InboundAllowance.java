package voidphone.gossip.core;

/**
 * What one linked peer may send: {@link NodeSettings#inboundMessagesPerSecond} messages and {@link
 * NodeSettings#inboundBytesPerSecond} bytes a second, bursts of twice that. Beyond it nothing is
 * refused or dropped (an honest peer's burst must not cost an item, nor a penalty); the link is read
 * no further until the peer is back within its allowance, so its own TCP connection backs up and
 * it, not the node, carries the cost of what it sends too fast. Frames already read are still
 * handled, and charged.
 */
final class InboundAllowance {
  /**
   * The longest single pause. Reading resumes at least this often, so the link's keepalives and
   * dead-peer detection ({@code LinkSettings}, 6 s) keep working; a peer still in debt is paused
   * again by its next frame.
   */
  static final long MAX_PAUSE_MILLIS = 1_000;

  private final TokenBucket messages;
  private final TokenBucket bytes;
  /** Until when reading was paused last; a new pause is asked for only after it. */
  private long pausedUntil = Long.MIN_VALUE;

  InboundAllowance(NodeSettings settings) {
    this.messages = new TokenBucket(settings.inboundMessagesPerSecond(), 2.0 * settings.inboundMessagesPerSecond());
    this.bytes = new TokenBucket(settings.inboundBytesPerSecond(), 2.0 * settings.inboundBytesPerSecond());
  }

  /**
   * Charges a message of {@code size} bytes that arrived at {@code nowMillis}. Returns how many
   * milliseconds reading from the peer should pause, or 0 for none (within the allowance, or a
   * pause asked for earlier still running).
   */
  long charge(int size, long nowMillis) {
    long wait = Math.max(messages.charge(1, nowMillis), bytes.charge(size, nowMillis));
    if (wait == 0 || nowMillis < pausedUntil) {
      return 0;
    }
    long pause = Math.min(wait, MAX_PAUSE_MILLIS);
    pausedUntil = nowMillis + pause;
    return pause;
  }
}
