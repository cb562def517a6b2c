package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import voidphone.gossip.core.NodeId;

/** The spec's TTL rule, end to end over small topologies. */
class TtlTest {
  private static final int MAX_EVENTS = 10_000;

  private static SimulatedNetwork chain(int length, List<NodeId> out) {
    SimulatedNetwork net = new SimulatedNetwork(BroadcastConfig.defaults(), 1);
    out.addAll(net.addNodes(length));
    for (int i = 1; i < length; i++) {
      net.link(out.get(i - 1), out.get(i), 2);
    }
    return net;
  }

  @ParameterizedTest(name = "ttl {0}")
  @ValueSource(ints = {1, 2, 3})
  void ttlReachesExactlyThatManyHopsDownAChain(int ttl) {
    List<NodeId> nodes = new java.util.ArrayList<>();
    SimulatedNetwork net = chain(6, nodes);

    ItemId id = net.broadcast(nodes.get(0), ttl, new byte[] {1});
    net.runUntilQuiet(MAX_EVENTS);

    assertThat(net.deliveriesOf(id))
        .extracting(SimulatedNetwork.Delivery::node)
        .containsExactlyElementsOf(nodes.subList(1, 1 + ttl));
    assertThat(net.deliveriesOf(id))
        .extracting(SimulatedNetwork.Delivery::hops)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, ttl).boxed().toList());
  }

  @Test
  void ttlZeroReachesTheWholeChain() {
    List<NodeId> nodes = new java.util.ArrayList<>();
    SimulatedNetwork net = chain(6, nodes);

    ItemId id = net.broadcast(nodes.get(0), 0, new byte[] {1});
    net.runUntilQuiet(MAX_EVENTS);

    assertThat(net.deliveriesOf(id))
        .extracting(SimulatedNetwork.Delivery::node)
        .containsExactlyElementsOf(nodes.subList(1, 6));
  }

  @Test
  void ttlZeroAroundARingIsStoppedByDuplicateSuppressionAfterOneDeliveryEach() {
    SimulatedNetwork net = new SimulatedNetwork(BroadcastConfig.defaults(), 1);
    List<NodeId> ring = net.addNodes(7);
    for (int i = 0; i < ring.size(); i++) {
      net.link(ring.get(i), ring.get((i + 1) % ring.size()), 1 + i);
    }

    ItemId id = net.broadcast(ring.get(0), 0, new byte[] {1});
    net.runUntilQuiet(MAX_EVENTS); // fails if the item circulated forever

    assertThat(net.deliveriesOf(id))
        .extracting(SimulatedNetwork.Delivery::node)
        .containsExactlyInAnyOrderElementsOf(ring.subList(1, ring.size()));
    assertThat(net.sum(BroadcastCounter.DUPLICATES_RECEIVED)).isPositive();
  }

  @Test
  void graftRepairedDeliveryStopsWhereAnEagerOneWould() {
    // a - b - c - d - e plus a slow shortcut a - c, which the first broadcasts prune to lazy.
    // Then b fails: c gets the next item only by GRAFT over a - c, one hop from a. Leaf f keeps a
    // an eager peer after b is gone (a node with none would push its item to a lazy peer).
    SimulatedNetwork net = new SimulatedNetwork(BroadcastConfig.defaults(), 1);
    List<NodeId> n = net.addNodes(6);
    NodeId a = n.get(0), b = n.get(1), c = n.get(2), d = n.get(3), e = n.get(4), f = n.get(5);
    net.link(a, f, 1);
    net.link(a, b, 1);
    net.link(b, c, 1);
    net.link(c, d, 1);
    net.link(d, e, 1);
    net.link(a, c, 5);
    for (int i = 0; i < BroadcastConfig.DEFAULT_PRUNE_AFTER_DUPLICATES; i++) {
      net.broadcast(a, 0, new byte[] {0});
      net.runUntilQuiet(MAX_EVENTS);
    }
    assertThat(net.core(c).lazyPeers()).containsExactly(a);
    net.crash(b);

    ItemId id = net.broadcast(a, 2, new byte[] {1});
    net.runUntilQuiet(MAX_EVENTS);

    // an eager push over a - c would give c ttl 2, so d (2 hops) gets it and e (3 hops) does not
    assertThat(net.deliveriesOf(id))
        .extracting(SimulatedNetwork.Delivery::node, SimulatedNetwork.Delivery::hops)
        .containsExactly(tuple(f, 1), tuple(c, 1), tuple(d, 2));
    assertThat(net.core(a).stats().get(BroadcastCounter.GRAFTS_ANSWERED)).isEqualTo(1);
  }
}
