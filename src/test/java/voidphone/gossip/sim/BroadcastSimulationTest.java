package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.membership.MembershipConfig;

/** The simulator hosts Plumtree faithfully and measures it correctly. Small overlays, fast. */
class BroadcastSimulationTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 5);
  private static final int DEGREE = 6;

  private static SimConfig config() {
    return SimConfig.defaults(SEED, MembershipConfig.withDegree(DEGREE));
  }

  /** 200 nodes laid out at random, settled briefly; 12 items, the flooding baseline beside. */
  private static BroadcastSpec small() {
    return BroadcastSpec.of(config(), 200)
        .withOverlay(BroadcastSpec.Overlay.RANDOM, 0, 2_000)
        .withItems(new BroadcastSpec.Items(12, 500, 4, 5_000, 0));
  }

  private static Simulation joined(Simulation sim, int nodes) {
    sim.addNode();
    for (int i = 1; i < nodes; i++) {
      sim.runFor(20);
      sim.join(sim.addNode(), sim.random().nextInt(i));
    }
    sim.runFor(20_000);
    return sim;
  }

  @Test
  void theFloodingBaselineOfASeedRunsOnTheSameOverlayAsPlumtree() {
    Simulation plumtree = joined(new Simulation(config(), BroadcastSetup.of(BroadcastConfig.defaults())), 80);
    Simulation flood = joined(new Simulation(config(), BroadcastSetup.of(BroadcastConfig.defaults().withFlood(true))), 80);
    for (int k = 0; k < 5; k++) {
      plumtree.broadcast(k, 1, new byte[] {(byte) k});
      flood.broadcast(k, 1, new byte[] {(byte) k});
      plumtree.runFor(1_000);
      flood.runFor(1_000);
    }

    for (int i = 0; i < 80; i++) {
      assertThat(flood.neighbors(i)).as("neighbours of node %d", i).isEqualTo(plumtree.neighbors(i));
    }
  }

  @Test
  void introducedNodesAreNeighboursBothWaysAndStaySo() {
    Simulation sim = new Simulation(config());
    int a = sim.addNode();
    int b = sim.addNode();

    sim.introduce(a, b);
    sim.runUntilQuiet(1_000);

    assertThat(sim.neighbors(a)).containsExactly(b);
    assertThat(sim.neighbors(b)).containsExactly(a);
  }

  @Test
  void randomOverlayGivesNearlyEveryNodeTheFullDegreeSymmetrically() {
    BroadcastReport report = BroadcastScenario.run(small());

    assertThat(report.overlay().active().mean()).isGreaterThan(0.98 * DEGREE);
    assertThat(report.overlay().active().max()).isEqualTo(DEGREE);
    assertThat(report.overlay().asymmetricEntries()).isZero();
    assertThat(report.overlay().connectivity()).isEqualTo(1.0);
  }

  @Test
  void everyPayloadTheCoresCountIsTracedToItsItem() {
    BroadcastReport report = BroadcastScenario.run(small());

    for (ProtocolFigures p : new ProtocolFigures[] {report.plumtree(), report.flood()}) {
      long traced = p.items().stream().mapToLong(ItemFigures::payloads).sum();
      assertThat(traced).as(p.name()).isEqualTo(p.payloadsCounted()).isPositive();
    }
  }

  @Test
  void bothProtocolsCarryTheSameItemsFromTheSameOrigins() {
    BroadcastReport report = BroadcastScenario.run(small());

    assertThat(report.flood().items()).hasSameSizeAs(report.plumtree().items());
    for (int i = 0; i < report.plumtree().items().size(); i++) {
      assertThat(report.flood().items().get(i).origin())
          .isEqualTo(report.plumtree().items().get(i).origin());
    }
  }

  @Test
  void withoutTheBaselineOnlyPlumtreeRuns() {
    BroadcastReport report = BroadcastScenario.run(small().withCompareFlood(false));

    assertThat(report.flood()).isNull();
    assertThat(report.plumtree().all().reliability()).isEqualTo(1.0);
  }

  @Test
  void validationDelayHoldsBackEveryHop() {
    long delay = 300;
    BroadcastSpec spec = small().withItems(new BroadcastSpec.Items(6, 5_000, 2, 20_000, delay));

    BroadcastReport report = BroadcastScenario.run(spec);

    for (ItemFigures item : report.plumtree().items()) {
      // a node forwards only once its subscriber said VALID: the last delivery waited at every hop
      assertThat(item.latencyMaxMillis()).isGreaterThanOrEqualTo((item.ldh() - 1) * delay);
      assertThat(item.reliability()).isEqualTo(1.0);
    }
  }

  @Test
  void crashedNodesCountNeitherAsAliveNorAsReached() {
    BroadcastSpec spec = small().withCrash(new BroadcastSpec.Crash(0.5, 0, 5_000));

    BroadcastReport report = BroadcastScenario.run(spec);

    assertThat(report.crashed()).isEqualTo(100);
    assertThat(report.alive()).isEqualTo(100);
    assertThat(report.plumtree().items())
        .allSatisfy(item -> assertThat(item.reached()).isLessThanOrEqualTo(item.alive()));
  }

  @Test
  void aCrashDuringTheBroadcastsIsSummarisedApart() {
    BroadcastSpec spec = small().withCrash(new BroadcastSpec.Crash(0.2, 8, 0));

    BroadcastReport report = BroadcastScenario.run(spec);

    assertThat(report.plumtree().formed().items()).as("items 5..7").isEqualTo(3);
    assertThat(report.plumtree().afterCrash().items()).as("items 9..12").isEqualTo(4);
  }

  @Test
  void broadcastFromAGoneNodeIsRefused() {
    Simulation sim = new Simulation(config(), BroadcastSetup.of(BroadcastConfig.defaults()));
    int node = sim.addNode();
    sim.crash(node);

    assertThatThrownBy(() -> sim.broadcast(node, 1, new byte[] {1}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("gone");
  }

  @Test
  void countersOfCrashedNodesAreKept() {
    Simulation sim = new Simulation(config(), BroadcastSetup.of(BroadcastConfig.defaults()));
    int a = sim.addNode();
    int b = sim.addNode();
    sim.introduce(a, b);
    sim.broadcast(a, 1, new byte[] {1});
    sim.runFor(1_000);

    sim.crash(a);

    assertThat(sim.broadcastCount(BroadcastCounter.PAYLOAD_SENT)).isEqualTo(1);
    assertThat(sim.broadcastCount(BroadcastCounter.ITEMS_DELIVERED)).isEqualTo(1);
  }

  @Test
  void itemsBeyondTheBoundAreRefused() {
    assertThatThrownBy(() -> new BroadcastSpec.Items(BroadcastSpec.Items.MAX_ITEMS + 1, 1, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("items 10001 is outside 1..10000");
  }

  @Test
  void warmUpMustLeaveAnItemToMeasure() {
    assertThatThrownBy(() -> new BroadcastSpec.Items(5, 1, 5, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("warm-up items 5 must be fewer than the items (5)");
  }

  @Test
  void crashAfterTheLastItemIsRefused() {
    BroadcastSpec spec = small();

    assertThatThrownBy(() -> spec.withCrash(new BroadcastSpec.Crash(0.3, 12, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the crash must come before the last item");
  }
}
