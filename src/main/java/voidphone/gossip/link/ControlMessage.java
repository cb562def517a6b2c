package voidphone.gossip.link;

import voidphone.gossip.core.PeerAddress;

/** Messages of the link itself (frame channel 0): the handshake, keepalives and refusals. */
public sealed interface ControlMessage {

  /**
   * First message on a link, sent by both sides right after TLS. Says which protocol versions the
   * sender speaks, proves the work spent on its identity and tells where it listens for peers.
   */
  record Hello(int minVersion, int maxVersion, long powNonce, PeerAddress listenAddress)
      implements ControlMessage {}

  /**
   * Sent after checking the peer's HELLO (version, proof of work, bans). A link is up for a side once
   * it has both accepted the peer's HELLO and received the peer's ACCEPT, so both ends agree.
   */
  record Accept() implements ControlMessage {}

  /** Sent when the link has been quiet for a keepalive interval; answered with {@link Pong}. */
  record Ping(long token) implements ControlMessage {}

  record Pong(long token) implements ControlMessage {}

  /** Why the sender is about to close the link; for the other side's log. */
  record Refuse(Reason reason, String detail) implements ControlMessage {}

  public enum Reason {
    PROTOCOL_VERSION(1),
    PROOF_OF_WORK(2),
    DUPLICATE_LINK(3),
    TOO_MANY_LINKS(4),
    PROTOCOL_VIOLATION(5),
    BANNED(6),
    SHUTTING_DOWN(7),
    OTHER(255);

    final int code;

    Reason(int code) {
      this.code = code;
    }

    static Reason of(int code) {
      for (Reason r : values()) {
        if (r.code == code) return r;
      }
      return OTHER;
    }
  }
}
