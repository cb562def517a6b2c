package voidphone.gossip.api;

/**
 * What the local modules made of an item received from a peer (spec section 3, VALIDATION). The P2P
 * layer forwards an item only on {@link #VALID}.
 */
public enum Verdict {
  /** Every notified subscriber that answered said valid, and none said invalid: forward it. */
  VALID,
  /** A subscriber said invalid: drop the item for good and hold the sending peer to account. */
  INVALID,
  /** The validation timeout passed before every subscriber answered: drop it, nobody's fault. */
  EXPIRED,
  /**
   * No local module wants this data type (nobody subscribed, or every notified subscriber went away
   * without answering): neither forward nor notify it.
   */
  UNWANTED
}
