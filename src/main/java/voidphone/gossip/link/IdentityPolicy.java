package voidphone.gossip.link;

import voidphone.gossip.core.NodeId;

/** Decides whether a peer that proved its key may have a link: proof of work, bans. */
public interface IdentityPolicy {
  /** Returns null to admit, else the reason for refusing. */
  Refusal check(NodeId peer, long powNonce);

  record Refusal(ControlMessage.Reason reason, String detail) {}

  static IdentityPolicy admitAll() {
    return (peer, nonce) -> null;
  }
}
