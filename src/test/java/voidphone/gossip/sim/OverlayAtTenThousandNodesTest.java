package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * 10,000 nodes with the default degree (30) join one after another, settle, then half of them
 * crash at once. One run, shared by the tests; each test asserts one property of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OverlayAtTenThousandNodesTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 7);

  static final int NODES = 10_000;
  static final MembershipConfig MEMBERSHIP = MembershipConfig.defaults();

  static ScenarioSpec spec() {
    return new ScenarioSpec(
        SimConfig.defaults(SEED, MEMBERSHIP), NODES, 10, 30_000, 0.5, 60_000, 500);
  }

  private ScenarioReport report;

  @BeforeAll
  void run() {
    report = MembershipScenario.run(spec());
  }

  @Test
  void everyNodeIsInOneComponentOnceJoined() {
    assertThat(report.afterJoin().alive()).isEqualTo(NODES);
    assertThat(report.afterJoin().largestComponent()).isEqualTo(NODES);
  }

  @Test
  void activeViewsNeverExceedTheDegree() {
    assertThat(report.largestActiveSeen()).isLessThanOrEqualTo(MEMBERSHIP.activeCapacity());
  }

  @Test
  void passiveViewsNeverExceedTheirCapacity() {
    assertThat(report.largestPassiveSeen()).isLessThanOrEqualTo(MEMBERSHIP.passiveCapacity());
  }

  @Test
  void activeViewsAreNearlyFullOnceJoined() {
    assertThat(report.afterJoin().active().mean()).isGreaterThan(0.9 * MEMBERSHIP.activeCapacity());
  }

  @Test
  void activeViewsAreSymmetricOnceQuiet() {
    assertThat(report.afterJoin().asymmetricEntries()).isZero();
    assertThat(report.afterHeal().asymmetricEntries()).isZero();
  }

  @Test
  void halfTheNodesCrash() {
    assertThat(report.crashed()).isEqualTo(NODES / 2);
    assertThat(report.afterHeal().alive()).isEqualTo(NODES - NODES / 2);
  }

  @Test
  void survivorsFormOneComponentAfterHealing() {
    assertThat(report.afterHeal().connectivity()).isGreaterThanOrEqualTo(0.99);
  }

  @Test
  void survivorsForgetEveryCrashedNeighbor() {
    assertThat(report.healCleanMillis()).isNotNegative();
    assertThat(report.afterHeal().deadEntries()).isZero();
  }

  @Test
  void survivorsRefillTheirActiveViews() {
    assertThat(report.healRefilledMillis()).isNotNegative();
  }

  @Test
  void theSameSeedGivesTheSameRun() {
    assertThat(MembershipScenario.run(spec())).isEqualTo(report);
  }
}
