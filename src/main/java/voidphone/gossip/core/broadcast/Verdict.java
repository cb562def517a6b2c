package voidphone.gossip.core.broadcast;

/**
 * What the local modules made of an item received from a peer (the spec's VALIDATION, section 3):
 * the API layer reaches it, the broadcast core acts on it. Only {@link #VALID} lets the item spread.
 */
public enum Verdict {
  /** Every notified subscriber that answered said valid, and none said invalid: forward it. */
  VALID,
  /** A subscriber said invalid: drop the item for good and hold the peer that sent it to account. */
  INVALID,
  /** The validation timeout passed before every subscriber answered: drop it, nobody's fault. */
  EXPIRED,
  /**
   * No local module wants this data type (nobody subscribed, or every notified subscriber went away
   * without answering): neither forward nor notify it (spec: a type nobody subscribed to is not
   * spread).
   */
  UNWANTED
}
