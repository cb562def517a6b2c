package voidphone.gossip.link;

/** A peer broke the link protocol; its link is closed and the event counts against it. */
public final class LinkProtocolException extends Exception {
  public LinkProtocolException(String reason) {
    super(reason);
  }
}
