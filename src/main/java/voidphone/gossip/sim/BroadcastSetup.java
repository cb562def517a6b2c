package voidphone.gossip.sim;

import java.util.List;
import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * What broadcast cores every simulated node hosts besides its membership core.
 *
 * <p>Each entry of {@code channels} is one independent {@code Plumtree} per node, on the same
 * links: channel 0 is usually the protocol under test, channel 1 the flooding baseline. Running
 * both in one simulation puts them on the same overlay, with the same origins, the same crash and
 * the same latencies, so their figures differ only by the protocol.
 *
 * @param channels the configuration of each channel's core; 1 to {@link #MAX_CHANNELS}
 * @param validationDelayMillis how long every node's (simulated) subscriber takes to answer VALID
 *     for a delivered item; 0 answers at once, inside the delivery
 */
public record BroadcastSetup(List<BroadcastConfig> channels, long validationDelayMillis) {
  /** Two is all a comparison needs; the bound keeps per-node state small. */
  public static final int MAX_CHANNELS = 4;

  public BroadcastSetup {
    channels = List.copyOf(channels);
    if (channels.isEmpty() || channels.size() > MAX_CHANNELS) {
      throw new IllegalArgumentException(
          "1 to " + MAX_CHANNELS + " broadcast channels, got " + channels.size());
    }
    if (validationDelayMillis < 0 || validationDelayMillis > 60_000) {
      throw new IllegalArgumentException(
          "validation delay " + validationDelayMillis + " ms is outside 0..60000");
    }
  }

  public static BroadcastSetup of(BroadcastConfig... channels) {
    return new BroadcastSetup(List.of(channels), 0);
  }
}
