package voidphone.gossip.sim;

import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * The broadcast core every simulated node runs, and how its simulated subscriber answers.
 *
 * <p>To compare protocols (Plumtree and the flooding baseline), run the same seed twice, once with
 * each: the overlay, the origins, the crash and the latencies are the same, since the broadcast
 * core draws from a generator of its own and never changes a node's views (with {@code loss} 0; a
 * lossy network breaks links at random on broadcast messages too).
 *
 * @param broadcast the configuration of every node's Plumtree core
 * @param validationDelayMillis how long every node's (simulated) subscriber takes to answer VALID
 *     for a delivered item; 0 answers at once
 */
public record BroadcastSetup(BroadcastConfig broadcast, long validationDelayMillis) {
  public BroadcastSetup {
    java.util.Objects.requireNonNull(broadcast, "broadcast");
    if (validationDelayMillis < 0 || validationDelayMillis > 60_000) {
      throw new IllegalArgumentException(
          "validation delay " + validationDelayMillis + " ms is outside 0..60000");
    }
  }

  public static BroadcastSetup of(BroadcastConfig broadcast) {
    return new BroadcastSetup(broadcast, 0);
  }
}
