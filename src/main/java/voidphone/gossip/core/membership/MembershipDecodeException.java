package voidphone.gossip.core.membership;

/**
 * Bytes from a peer that are not a membership message: the message is dropped and the peer is to
 * blame. The only exception {@link MembershipCodec#decode} throws.
 */
public final class MembershipDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public MembershipDecodeException(String message) {
    super(message, null, false, false); // an expected condition: no stack trace to fill in
  }
}
