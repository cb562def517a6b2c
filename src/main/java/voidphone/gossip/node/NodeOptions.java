package voidphone.gossip.node;

import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeSettings;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.link.LinkSettings;

/**
 * Tuning the config file does not carry: link limits and timers, the node core's settings,
 * adjustments of the membership and broadcast parameters that the node derives from {@code degree}
 * and {@code cache_size}, and the event loops to run on. Two named profiles: {@link #production()}
 * is what {@code gossip run} uses; {@link #fastTests()} notices dead peers within a second, for
 * tests that crash nodes on purpose. Tests and benchmarks adjust either (the flooding baseline,
 * many nodes on a few threads).
 *
 * @param eventLoops a group shared with other nodes in this process, made by
 *     {@link GossipNode#newEventLoops}: the node runs on one loop of it and leaves the group running
 *     when it closes. Null (the default): the node makes a one-thread group of its own and shuts it
 *     down when it closes.
 * @param adminPeers the admin endpoints of other nodes whose views this node's live view combines
 *     into the whole network's ({@code GET /graph}, docs/LIVE-VIEW.md); {@code gossip testnet} gives
 *     every node all of them. Empty (the default): the live view shows this node's view only.
 */
public record NodeOptions(
    LinkSettings links,
    NodeSettings settings,
    UnaryOperator<MembershipConfig> membership,
    UnaryOperator<BroadcastConfig> broadcast,
    EventLoopGroup eventLoops,
    List<HostPort> adminPeers) {

  public NodeOptions {
    adminPeers = List.copyOf(adminPeers);
    Objects.requireNonNull(links, "links");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(membership, "membership");
    Objects.requireNonNull(broadcast, "broadcast");
  }

  /** The production profile: every default, as {@code gossip run} starts a node. */
  public static NodeOptions production() {
    return new NodeOptions(LinkSettings.defaults(), NodeSettings.defaults(), UnaryOperator.identity(),
        UnaryOperator.identity(), null, List.of());
  }

  /** The fast-tests profile: production, but a dead peer is noticed within a second. */
  public static NodeOptions fastTests() {
    return production().withLinks(LinkSettings.fastFailureDetection());
  }

  public NodeOptions withLinks(LinkSettings value) {
    return new NodeOptions(value, settings, membership, broadcast, eventLoops, adminPeers);
  }

  public NodeOptions withSettings(NodeSettings value) {
    return new NodeOptions(links, value, membership, broadcast, eventLoops, adminPeers);
  }

  public NodeOptions withMembership(UnaryOperator<MembershipConfig> adjust) {
    return new NodeOptions(links, settings, adjust, broadcast, eventLoops, adminPeers);
  }

  public NodeOptions withBroadcast(UnaryOperator<BroadcastConfig> adjust) {
    return new NodeOptions(links, settings, membership, adjust, eventLoops, adminPeers);
  }

  /** Runs the node on one loop of {@code group}, which its owner shuts down after the node closes. */
  public NodeOptions withEventLoops(EventLoopGroup group) {
    return new NodeOptions(links, settings, membership, broadcast, Objects.requireNonNull(group, "group"), adminPeers);
  }

  /** The live view's {@code /graph} also shows the nodes whose admin endpoints are {@code value}. */
  public NodeOptions withAdminPeers(List<HostPort> value) {
    return new NodeOptions(links, settings, membership, broadcast, eventLoops, value);
  }
}
