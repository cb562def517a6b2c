package voidphone.gossip.core.broadcast;

/**
 * How long to wait for an item announced by IHAVE before GRAFTing it, learned from how late eager
 * copies actually arrive after their first IHAVE; and, as a second instance, how long to wait for a
 * GRAFT's answer before asking the next announcer, learned from how long answers take.
 *
 * <p>Why: the eager path an item takes through the tree can be much slower than the lazy shortcut
 * its IHAVE took (a deep tree over wide-area links, or a loaded node). A fixed timeout shorter than
 * that gap GRAFTs items that were on their way: each needless GRAFT costs a payload and turns a
 * lazy link eager, so the tree never settles. Measured in the simulator (10,000 nodes, 10..100 ms
 * links): RMR 0.05 with 80 ms against 0.001 with 150 ms. Waiting long everywhere slows every real
 * repair instead, so the core learns the gap.
 *
 * <p>The estimator is TCP's retransmission timer (RFC 6298): a smoothed mean and mean deviation of
 * the samples, timeout = multiplier x (mean + 4 deviations), kept within the configured range. The
 * multiplier is 2 for the first GRAFT (the eager path's delay is heavy-tailed: a tree path can be
 * many hops longer than the shortcut) and 1 for the retry (a round trip). For the first GRAFT a
 * sample is the
 * time from an item's first IHAVE to the arrival of a copy nobody was asked for: with no GRAFT sent,
 * the first copy; after GRAFTs, the first copy from a peer that was not GRAFTed (Karn's rule: a
 * GRAFT's answer says nothing about the eager path).
 */
final class GraftTimeout {
  private final long minMillis;
  private final long maxMillis;
  private final int multiplier;
  private boolean sampled;
  private double smoothedMillis;
  private double deviationMillis;

  GraftTimeout(long minMillis, long maxMillis, int multiplier) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.multiplier = multiplier;
  }

  /** The wait to use now. */
  long current() {
    if (!sampled) {
      return minMillis;
    }
    long estimate = (long) Math.ceil(multiplier * (smoothedMillis + 4 * deviationMillis));
    return Math.clamp(estimate, minMillis, maxMillis);
  }

  /** What the wait should have covered took {@code delayMillis}. */
  void sample(long delayMillis) {
    double delay = Math.clamp(delayMillis, 0, maxMillis); // one wild sample cannot pin it high
    if (!sampled) {
      sampled = true;
      smoothedMillis = delay;
      deviationMillis = delay / 2;
      return;
    }
    deviationMillis += (Math.abs(smoothedMillis - delay) - deviationMillis) / 4;
    smoothedMillis += (delay - smoothedMillis) / 8;
  }
}
