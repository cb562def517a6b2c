package voidphone.gossip.node;

import java.util.function.UnaryOperator;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.link.LinkSettings;

/**
 * Tuning the config file does not carry: link limits and timers, and adjustments of the membership
 * and broadcast parameters that the node derives from {@code degree} and {@code cache_size}. Tests
 * and benchmarks use it (faster timers, the flooding baseline); {@link #defaults()} is production.
 */
public record NodeOptions(
    LinkSettings links, UnaryOperator<MembershipConfig> membership, UnaryOperator<BroadcastConfig> broadcast) {

  public static NodeOptions defaults() {
    return new NodeOptions(LinkSettings.defaults(), UnaryOperator.identity(), UnaryOperator.identity());
  }

  public NodeOptions withLinks(LinkSettings settings) {
    return new NodeOptions(settings, membership, broadcast);
  }

  public NodeOptions withMembership(UnaryOperator<MembershipConfig> adjust) {
    return new NodeOptions(links, adjust, broadcast);
  }

  public NodeOptions withBroadcast(UnaryOperator<BroadcastConfig> adjust) {
    return new NodeOptions(links, membership, adjust);
  }
}
