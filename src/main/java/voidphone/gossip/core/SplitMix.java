package voidphone.gossip.core;

/**
 * The finaliser of SplitMix64 (Steele, Lea and Flood, 2014): a cheap bijection of 64-bit values in
 * which every input bit reaches every output bit. Used where a value must be spread over slots or
 * drawn from a seed without a random generator's state (the seen record's table, the simulator's
 * per-pair latencies and stalls).
 */
public final class SplitMix {
  private SplitMix() {}

  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
