package voidphone.gossip.core.broadcast;

/** Why the core asks the driver to penalise a peer ({@link BroadcastIo#penalize}). */
public enum Misbehaviour {
  /** It sent a GOSSIP whose id is not the hash of its content: a forgery or a broken peer. */
  FORGED_ITEM_ID,
  /** It sent an item a local module judged invalid. */
  INVALID_ITEM
}
