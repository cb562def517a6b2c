package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * 10,000 nodes with the default degree (30) in a random overlay laid out at once (joining them
 * one by one would cost more than the broadcasts; the joins are tested at this size by {@link
 * OverlayAtTenThousandNodesTest}), settled for 10 s. Then 20 items one second apart on Plumtree
 * and on flooding; right after item 15, 30% of the nodes crash at once, and items 16..20 follow
 * one second apart, the first before anyone has noticed the crash. One run, shared by the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastAtTenThousandNodesTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 13);

  static final int NODES = 10_000;
  static final int ITEMS = 20;
  static final int CRASH_AFTER = 15;

  static BroadcastSpec spec(int items, int crashAfter) {
    BroadcastSpec base = BroadcastSpec.of(SimConfig.defaults(SEED, MembershipConfig.defaults()), NODES)
        .withOverlay(BroadcastSpec.Overlay.RANDOM, 0, 10_000);
    // with pruning at the first duplicate the tree stands after one item: 5 are plenty of warm-up
    return BroadcastExperiments.withCrash(base, items, Math.min(5, items - 1), crashAfter);
  }

  private BroadcastReport report;

  @BeforeAll
  void run() {
    report = BroadcastScenario.run(spec(ITEMS, CRASH_AFTER));
  }

  @Test
  void everyItemReachesEveryNodeWhileNoneHasFailed() {
    BroadcastExperiments.assertEveryItemReachedEveryone(report, CRASH_AFTER);
  }

  @Test
  void afterThirtyPercentCrashEachItemReachesAtLeast999PerMilleOfTheSurvivors() {
    BroadcastExperiments.assertReliableAfterTheCrash(report, NODES);
  }

  @Test
  void redundancyOnceTheTreeHasFormedIsAtMostOneTenth() {
    assertThat(report.plumtree().formed().rmr()).isLessThanOrEqualTo(0.1);
  }

  @Test
  void floodingSendsAboutDegreeMinusTwoRedundantCopies() {
    BroadcastExperiments.assertFloodRedundancyIsDegreeMinusTwo(report);
  }

  @Test
  void noNodeDeliversAnItemTwice() {
    assertThat(report.plumtree().repeatedDeliveries()).isZero();
    assertThat(report.flood().repeatedDeliveries()).isZero();
  }

  @Test
  void tracedPayloadsAreExactlyThoseTheCoresCounted() {
    BroadcastExperiments.assertPayloadsTraced(report);
  }

  /**
   * A shorter run than the shared one, twice: two items, the crash after the first, Plumtree
   * only (the baseline runs on the same simulator and would double the cost).
   */
  @Test
  void theSameSeedGivesTheSameFigures() {
    BroadcastReport first = BroadcastScenario.run(spec(2, 1).withCompareFlood(false));
    BroadcastReport second = BroadcastScenario.run(spec(2, 1).withCompareFlood(false));

    assertThat(second).isEqualTo(first);
  }
}
