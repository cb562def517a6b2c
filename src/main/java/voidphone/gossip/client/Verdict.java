package voidphone.gossip.client;

/** A module's answer to one notification: the item may spread further, or it is dropped for good. */
public enum Verdict {
  /** The item is well formed and may be forwarded to other peers. */
  VALID,
  /** The item is dropped: never notified or forwarded again, and the peer that sent it is penalised. */
  INVALID;

  /** {@link #VALID} when {@code valid}, else {@link #INVALID}. */
  public static Verdict of(boolean valid) {
    return valid ? VALID : INVALID;
  }
}
