package voidphone.gossip.core.broadcast;

/**
 * A peer frame that is not a well-formed broadcast message. The runtime treats it as a protocol
 * violation by the peer that sent it; nothing else is affected.
 */
public final class MalformedBroadcastException extends Exception {
  public MalformedBroadcastException(String reason) {
    super(reason);
  }
}
