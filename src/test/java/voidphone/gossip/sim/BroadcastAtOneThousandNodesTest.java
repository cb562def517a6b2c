package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * 1,000 nodes join with the default degree (30) and settle. Then 40 items are broadcast one
 * second apart from random live nodes, on Plumtree and on the flooding baseline; right after item
 * 25, 30% of the nodes crash at once. The next item follows one second later, before the
 * survivors have noticed (detection takes 2 s), so items 26..40 test Plumtree's repair, not the
 * membership's healing. One run, shared by the tests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BroadcastAtOneThousandNodesTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 11);

  static final int NODES = 1_000;
  static final int ITEMS = 40;
  static final int CRASH_AFTER = 25;

  static BroadcastSpec spec() {
    return BroadcastExperiments.withCrash(
        BroadcastSpec.of(SimConfig.defaults(SEED, MembershipConfig.defaults()), NODES),
        ITEMS, 10, CRASH_AFTER);
  }

  private BroadcastReport report;

  @BeforeAll
  void run() {
    report = BroadcastScenario.run(spec());
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

  @Test
  void theSameSeedGivesTheSameFigures() {
    assertThat(BroadcastScenario.run(spec())).isEqualTo(report);
  }
}
