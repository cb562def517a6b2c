package voidphone.gossip.node;

import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import java.util.function.UnaryOperator;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.link.LinkSettings;

/**
 * Tuning the config file does not carry: link limits and timers, adjustments of the membership
 * and broadcast parameters that the node derives from {@code degree} and {@code cache_size}, and
 * the event loops to run on. Tests and benchmarks use it (faster timers, the flooding baseline,
 * many nodes on a few threads); {@link #defaults()} is production.
 *
 * @param eventLoops a group shared with other nodes in this process, made by
 *     {@link GossipNode#newEventLoops}: the node runs on one loop of it and leaves the group running
 *     when it closes. Null (the default): the node makes a one-thread group of its own and shuts it
 *     down when it closes.
 */
public record NodeOptions(
    LinkSettings links,
    UnaryOperator<MembershipConfig> membership,
    UnaryOperator<BroadcastConfig> broadcast,
    EventLoopGroup eventLoops) {

  public NodeOptions(
      LinkSettings links, UnaryOperator<MembershipConfig> membership, UnaryOperator<BroadcastConfig> broadcast) {
    this(links, membership, broadcast, null);
  }

  public static NodeOptions defaults() {
    return new NodeOptions(LinkSettings.defaults(), UnaryOperator.identity(), UnaryOperator.identity(), null);
  }

  public NodeOptions withLinks(LinkSettings settings) {
    return new NodeOptions(settings, membership, broadcast, eventLoops);
  }

  public NodeOptions withMembership(UnaryOperator<MembershipConfig> adjust) {
    return new NodeOptions(links, adjust, broadcast, eventLoops);
  }

  public NodeOptions withBroadcast(UnaryOperator<BroadcastConfig> adjust) {
    return new NodeOptions(links, membership, adjust, eventLoops);
  }

  /** Runs the node on one loop of {@code group}, which its owner shuts down after the node closes. */
  public NodeOptions withEventLoops(EventLoopGroup group) {
    return new NodeOptions(links, membership, broadcast, Objects.requireNonNull(group, "group"));
  }
}
