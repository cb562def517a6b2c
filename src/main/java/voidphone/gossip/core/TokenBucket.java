package voidphone.gossip.core;

/**
 * A token bucket: {@code perSecond} tokens a second on average, at most {@code burst} saved up. The
 * one rate limit of the core, for anything a peer's messages make this node do (serve a JOIN,
 * answer a GRAFT, track an announced item, read a peer's frames). Time comes from the caller; it
 * starts full.
 */
public final class TokenBucket {
  private final double perMilli;
  private final double burst;
  private double tokens;
  private long lastMillis;
  private boolean started;

  public TokenBucket(double perSecond, double burst) {
    if (!(perSecond > 0) || !(burst >= 1)) {
      throw new IllegalArgumentException("a token bucket needs a positive rate and a burst of at least 1");
    }
    this.perMilli = perSecond / 1000.0;
    this.burst = burst;
    this.tokens = burst;
  }

  /** Takes a token if one is left at {@code nowMillis}. */
  public boolean tryAcquire(long nowMillis) {
    refill(nowMillis);
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }

  /**
   * Takes {@code amount} tokens at {@code nowMillis} whether or not they are there, going into debt;
   * returns how many milliseconds until the bucket is out of debt again (0 if it is not in debt).
   * For what cannot be refused, only slowed: the caller waits that long before taking more.
   */
  public long charge(double amount, long nowMillis) {
    refill(nowMillis);
    tokens -= amount;
    return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perMilli);
  }

  /** Whole tokens left at {@code nowMillis}, taking none. */
  public int available(long nowMillis) {
    refill(nowMillis);
    return (int) tokens;
  }

  private void refill(long nowMillis) {
    if (!started) {
      started = true;
      lastMillis = nowMillis;
    }
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli);
      lastMillis = nowMillis;
    }
  }
}
