package voidphone.gossip.sim;

import java.util.Objects;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * How the simulated network behaves.
 *
 * @param seed every random choice of a run (latencies, losses, node randomness, churn) derives
 *     from it, so a seed replays a run exactly
 * @param membership the protocol configuration every node runs
 * @param latencyMinMillis one-way latency of the fastest pair of nodes. Default 10
 * @param latencyMaxMillis one-way latency of the slowest pair. A pair's latency is fixed, drawn
 *     uniformly between the two from a hash of the seed and the pair, so a link delivers in order
 *     like TCP. Default 100
 * @param loss chance that a message is lost. A TCP link does not lose one message and carry on:
 *     it fails, so a lost message breaks its link and both ends get {@code linkDown} after the
 *     detection delay. Default 0
 * @param failureDetectionMillis how long after a crash (or a lost message) the peers of a node get
 *     {@code linkDown}, and how long a dial to a dead node takes to fail: a keepalive timeout.
 *     Default 2000
 * @param stalls nodes that stop handling anything now and then (slow, honest). Default none
 */
public record SimConfig(
    long seed,
    MembershipConfig membership,
    int latencyMinMillis,
    int latencyMaxMillis,
    double loss,
    int failureDetectionMillis,
    Stalls stalls) {

  public static final int DEFAULT_LATENCY_MIN_MILLIS = 10;
  public static final int DEFAULT_LATENCY_MAX_MILLIS = 100;
  public static final int DEFAULT_FAILURE_DETECTION_MILLIS = 2_000;

  public SimConfig {
    if (latencyMinMillis < 0 || latencyMaxMillis < latencyMinMillis) {
      throw new IllegalArgumentException(
          "latency range " + latencyMinMillis + ".." + latencyMaxMillis + " ms is empty");
    }
    if (!(loss >= 0 && loss < 1)) {
      throw new IllegalArgumentException("loss " + loss + " is outside [0, 1)");
    }
    if (failureDetectionMillis < 0) {
      throw new IllegalArgumentException("failure detection delay must not be negative");
    }
    Objects.requireNonNull(stalls, "stalls");
  }

  public static SimConfig defaults(long seed, MembershipConfig membership) {
    return new SimConfig(
        seed,
        membership,
        DEFAULT_LATENCY_MIN_MILLIS,
        DEFAULT_LATENCY_MAX_MILLIS,
        0.0,
        DEFAULT_FAILURE_DETECTION_MILLIS,
        Stalls.NONE);
  }

  public SimConfig withLatency(int minMillis, int maxMillis) {
    return new SimConfig(seed, membership, minMillis, maxMillis, loss, failureDetectionMillis, stalls);
  }

  public SimConfig withLoss(double value) {
    return new SimConfig(seed, membership, latencyMinMillis, latencyMaxMillis, value,
        failureDetectionMillis, stalls);
  }

  public SimConfig withFailureDetection(int millis) {
    return new SimConfig(seed, membership, latencyMinMillis, latencyMaxMillis, loss, millis, stalls);
  }

  public SimConfig withStalls(Stalls value) {
    return new SimConfig(seed, membership, latencyMinMillis, latencyMaxMillis, loss, failureDetectionMillis,
        value);
  }
}
