package voidphone.gossip.core.membership;

/**
 * A token bucket on the JOINs this node serves. Serving one costs a FORWARD_JOIN to every
 * neighbour, each starting a walk, so without a limit one peer could make the overlay carry
 * {@code degree} walks per JOIN it sends. Time comes from the caller.
 */
final class JoinLimiter {
  private final double perMilli;
  private final double burst;
  private double tokens;
  private long lastMillis;
  private boolean started;

  JoinLimiter(int perSecond) {
    this.perMilli = perSecond / 1000.0;
    this.burst = 2.0 * perSecond;
    this.tokens = burst;
  }

  /** Takes a token if one is left at {@code nowMillis}. */
  boolean tryAcquire(long nowMillis) {
    if (!started) {
      started = true;
      lastMillis = nowMillis;
    }
    if (nowMillis > lastMillis) {
      tokens = Math.min(burst, tokens + (nowMillis - lastMillis) * perMilli);
      lastMillis = nowMillis;
    }
    if (tokens >= 1.0) {
      tokens -= 1.0;
      return true;
    }
    return false;
  }
}
