package voidphone.gossip.core.broadcast;

/**
 * The spec's TTL rule, in one place: a node receiving an item with remaining ttl t delivers it, and
 * forwards it with t - 1 if t > 1, with 0 if t = 0 (unlimited), not at all if t = 1.
 */
final class Ttl {
  /** {@link #forwarded} of an item that must not travel further. */
  static final int NOT_FORWARDED = -1;

  private Ttl() {}

  static int forwarded(int received) {
    if (received == 0) {
      return 0;
    }
    return received > 1 ? received - 1 : NOT_FORWARDED;
  }
}
