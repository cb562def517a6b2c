package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * An overlay cut into two halves for 60 s, then healed, at the default degree: one component
 * within 30 s of the heal, and items announced at the heal and after the merge reach every node.
 * Each size is one run shared by its tests.
 */
class PartitionHealTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 5);
  private static final long MERGE_BOUND_MILLIS = 30_000;

  static PartitionScenario.Spec spec(int nodes, int degree) {
    return new PartitionScenario.Spec(
        SimConfig.defaults(SEED, MembershipConfig.withDegree(degree)),
        nodes, 10, 30_000, 10_000, 60_000, MERGE_BOUND_MILLIS, 30_000);
  }

  abstract static class Run {
    PartitionScenario.Report report;

    abstract PartitionScenario.Spec spec();

    @BeforeAll
    void run() {
      report = PartitionScenario.run(spec());
    }

    @Test
    void theCutSplitsTheOverlayInTwo() {
      assertThat(report.endOfCut().largestComponent()).isLessThanOrEqualTo(spec().nodes() / 2);
    }

    @Test
    void theHalvesMergeWithinThirtySecondsOfTheHeal() {
      assertThat(report.mergeMillis()).isBetween(0L, MERGE_BOUND_MILLIS);
    }

    @Test
    void anItemAnnouncedAtTheHealReachesEveryNode() {
      assertThat(report.reachAtHeal()).isEqualTo(1.0);
    }

    @Test
    void anItemAnnouncedAfterTheMergeReachesEveryNode() {
      assertThat(report.reachAfterMerge()).isEqualTo(1.0);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TwelveNodesOfDegreeFour extends Run {
    @Override
    PartitionScenario.Spec spec() {
      return PartitionHealTest.spec(12, 4);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class OneThousandNodes extends Run {
    @Override
    PartitionScenario.Spec spec() {
      return PartitionHealTest.spec(1_000, MembershipConfig.DEFAULT_DEGREE);
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  class TenThousandNodes extends Run {
    @Override
    PartitionScenario.Spec spec() {
      return PartitionHealTest.spec(10_000, MembershipConfig.DEFAULT_DEGREE);
    }
  }
}
