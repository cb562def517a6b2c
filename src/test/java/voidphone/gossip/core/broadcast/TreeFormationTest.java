package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import voidphone.gossip.core.NodeId;

/**
 * Many cores on a random regular overlay: the eager links settle into a spanning tree, so each node
 * receives each payload about once (RMR near 0), where flooding sends about degree - 2 redundant
 * copies per node. Seed: {@code -Dgossip.test.seed}.
 */
@Timeout(60)
class TreeFormationTest {
  private static final long SEED = Long.getLong("gossip.test.seed", 7);
  private static final int NODES = 50;
  private static final int DEGREE = 6;
  private static final int BROADCASTS = 100;
  /** Broadcasts before the tree has settled: each redundant link must bring 3 duplicates in a row. */
  private static final int WARM_UP = 20;
  /** Far above what any run here needs (a flooded item costs about 400 events): catches runaway. */
  private static final int MAX_EVENTS = 200_000;

  private record Run(SimulatedNetwork net, List<NodeId> nodes, SplittableRandom random) {}

  private static Run overlay(BroadcastConfig config) {
    SplittableRandom random = new SplittableRandom(SEED);
    SimulatedNetwork net = new SimulatedNetwork(config, random.nextLong());
    List<NodeId> nodes = net.addNodes(NODES);
    for (RandomGraphs.Edge e : RandomGraphs.regular(NODES, DEGREE, random)) {
      net.linkRandomLatency(nodes.get(e.a()), nodes.get(e.b()), 10);
    }
    return new Run(net, nodes, random);
  }

  private static byte[] item(int index) {
    return ("item " + index).getBytes(StandardCharsets.UTF_8);
  }

  /** Broadcasts one item from a random one of {@code origins}, runs to quiet, returns its RMR. */
  private static double broadcastOnce(Run run, List<NodeId> origins, int index) {
    long before = run.net().sum(BroadcastCounter.PAYLOAD_SENT);
    run.net().broadcast(origins.get(run.random().nextInt(origins.size())), 0, item(index));
    run.net().runUntilQuiet(MAX_EVENTS);
    return rmr(run.net().sum(BroadcastCounter.PAYLOAD_SENT) - before, 1, origins.size());
  }

  /** Broadcasts {@code count} items {@code gapMillis} apart, each long before the previous one has spread. */
  private static void broadcastOverlapping(Run run, int first, int count, long gapMillis) {
    for (int i = first; i < first + count; i++) {
      run.net().broadcast(run.nodes().get(run.random().nextInt(NODES)), 0, item(i));
      run.net().runFor(gapMillis, MAX_EVENTS);
    }
  }

  private static double rmr(long payloads, int items, int nodes) {
    return (double) payloads / items / (nodes - 1) - 1;
  }

  private static void assertEachNodeDeliveredEachItemOnceExceptItsOrigin(Run run, int items, int nodes) {
    Set<String> seen = new HashSet<>();
    for (SimulatedNetwork.Delivery d : run.net().deliveries()) {
      assertThat(seen.add(d.node() + "/" + d.id().hex())).as("duplicate delivery %s", d).isTrue();
    }
    assertThat(run.net().deliveries()).hasSize(items * (nodes - 1));
  }

  @Test
  void plumtreeSettlesIntoATreeWithNearZeroRedundancy() {
    Run run = overlay(BroadcastConfig.defaults());
    List<Double> rmr = new ArrayList<>();

    for (int i = 0; i < BROADCASTS; i++) {
      rmr.add(broadcastOnce(run, run.nodes(), i));
    }

    assertEachNodeDeliveredEachItemOnceExceptItsOrigin(run, BROADCASTS, NODES);
    assertThat(rmr.getFirst()).as("the first broadcast floods the overlay").isGreaterThan(DEGREE - 3);
    assertThat(rmr.subList(WARM_UP, BROADCASTS)).allSatisfy(r -> assertThat(r).isLessThanOrEqualTo(0.1));
  }

  @Test
  void eagerLinksFormASpanningTree() {
    Run run = overlay(BroadcastConfig.defaults());
    for (int i = 0; i < BROADCASTS; i++) {
      broadcastOnce(run, run.nodes(), i);
    }

    long eagerEnds = run.nodes().stream().mapToLong(n -> run.net().core(n).eagerPeers().size()).sum();
    assertThat(eagerEnds).as("a tree has n - 1 edges, each counted at both ends").isEqualTo(2L * (NODES - 1));
    assertThat(reachable(run.nodes().getFirst(), n -> run.net().core(n).eagerPeers())).hasSize(NODES);
  }

  @Test
  void floodingSendsAboutDegreeMinusTwoRedundantCopies() {
    Run run = overlay(BroadcastConfig.defaults().withFlood(true));
    double total = 0;

    for (int i = 0; i < 20; i++) {
      total += broadcastOnce(run, run.nodes(), i);
    }

    assertEachNodeDeliveredEachItemOnceExceptItsOrigin(run, 20, NODES);
    // exactly: (n (d - 1) + 1) / (n - 1) - 1 = 4.1 for n = 50, d = 6
    assertThat(total / 20).isBetween(DEGREE - 2.0, DEGREE - 1.5);
  }

  @Test
  void lazyLinksRepairTheTreeAfterNodesCrash() {
    Run run = overlay(BroadcastConfig.defaults());
    for (int i = 0; i < WARM_UP; i++) {
      broadcastOnce(run, run.nodes(), i);
    }
    List<NodeId> victims = new ArrayList<>(run.nodes());
    Collections.shuffle(victims, new Random(run.random().nextLong()));
    victims.subList(8, victims.size()).clear();
    victims.forEach(run.net()::crash);
    List<NodeId> live = run.net().liveNodes();
    assertThat(reachable(live.getFirst(), run.net()::neighbors))
        .as("precondition: the survivors' overlay is connected")
        .hasSize(live.size());
    run.net().deliveries().clear();

    for (int i = 0; i < 20; i++) {
      broadcastOnce(run, live, WARM_UP + i);
    }

    assertEachNodeDeliveredEachItemOnceExceptItsOrigin(run, 20, live.size());
    assertThat(run.net().sum(BroadcastCounter.GRAFTS_ANSWERED)).isPositive();
  }

  @Test
  void overlappingBroadcastsFromColdAreDeliveredOnceEverywhereAndTheTreeStillSettles() {
    Run run = overlay(BroadcastConfig.defaults());

    broadcastOverlapping(run, 0, 200, 10); // 100 items/s: about five in flight at any time
    long payloadsBefore = run.net().sum(BroadcastCounter.PAYLOAD_SENT);
    broadcastOverlapping(run, 200, 100, 10);
    long payloads = run.net().sum(BroadcastCounter.PAYLOAD_SENT) - payloadsBefore;
    run.net().runUntilQuiet(MAX_EVENTS);

    assertEachNodeDeliveredEachItemOnceExceptItsOrigin(run, 300, NODES);
    // GRAFT answers are payloads too, so a tree still being repaired would show here
    assertThat(rmr(payloads, 100, NODES)).isLessThanOrEqualTo(0.1);
  }

  @Test
  void linksAddedUnderLoadArePrunedWithoutBreakingTheTree() {
    Run run = overlay(BroadcastConfig.defaults());
    for (int i = 0; i < WARM_UP; i++) {
      broadcastOnce(run, run.nodes(), i);
    }
    run.net().deliveries().clear();

    broadcastOverlapping(run, 0, 20, 10);
    for (int added = 0; added < 10; ) {
      NodeId a = run.nodes().get(run.random().nextInt(NODES));
      NodeId b = run.nodes().get(run.random().nextInt(NODES));
      if (!a.equals(b) && !run.net().neighbors(a).contains(b)) {
        run.net().linkRandomLatency(a, b, 10); // new links start eager: ten new cycles
        added++;
      }
    }
    broadcastOverlapping(run, 20, 180, 10);
    long payloadsBefore = run.net().sum(BroadcastCounter.PAYLOAD_SENT);
    broadcastOverlapping(run, 200, 100, 10);
    long payloads = run.net().sum(BroadcastCounter.PAYLOAD_SENT) - payloadsBefore;
    run.net().runUntilQuiet(MAX_EVENTS);

    assertEachNodeDeliveredEachItemOnceExceptItsOrigin(run, 300, NODES);
    assertThat(rmr(payloads, 100, NODES)).isLessThanOrEqualTo(0.1);
  }

  private static Set<NodeId> reachable(NodeId start, Function<NodeId, Set<NodeId>> next) {
    Set<NodeId> seen = new HashSet<>(List.of(start));
    ArrayDeque<NodeId> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (NodeId peer : next.apply(todo.poll())) {
        if (seen.add(peer)) {
          todo.add(peer);
        }
      }
    }
    return seen;
  }
}
