package voidphone.gossip.core.broadcast;

/** What the local subscribers (through the API layer) made of a delivered item. */
public enum Verdict {
  /** Every notified subscriber said valid: forward it. */
  VALID,
  /** A subscriber said invalid: drop it for good and penalise the peer that sent it. */
  INVALID,
  /** The subscribers did not answer in time: drop it, no one is blamed. */
  EXPIRED,
  /** No local module subscribes to its data type: drop it, no one is blamed (spec: not forwarded). */
  UNWANTED
}
