package voidphone.gossip.api;

/** A frame the API spec calls bad input; the connection that sent it is closed. */
public final class MalformedMessageException extends Exception {
  public MalformedMessageException(String reason) {
    super(reason);
  }
}
