package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Small overlays started all at once through one bootstrapper, as a new user starts a testnet:
 * whatever groups the first seconds form, every run is one component within 30 s of virtual time.
 */
class OverlayFormationTest {
  private static final long FIRST_SEED = Long.getLong("gossip.test.seed", 0);
  private static final int SEEDS = 200;
  private static final long WITHIN_MILLIS = 30_000;

  static LongStream seeds() {
    return LongStream.range(FIRST_SEED, FIRST_SEED + SEEDS);
  }

  /** Nodes 1..n-1 all join through node 0 at time 0; the overlay after {@link #WITHIN_MILLIS}. */
  private static OverlayMetrics startedAtOnce(long seed, int nodes, int degree) {
    Simulation sim = new Simulation(SimConfig.defaults(seed, MembershipConfig.withDegree(degree)));
    for (int i = 0; i < nodes; i++) {
      sim.addNode();
    }
    for (int i = 1; i < nodes; i++) {
      sim.join(i, 0);
    }
    sim.runFor(WITHIN_MILLIS);
    return OverlayMetrics.measure(sim);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void twelveNodesOfDegreeFourEndAsOneComponent(long seed) {
    OverlayMetrics m = startedAtOnce(seed, 12, 4);

    assertThat(m.largestComponent()).as("seed %d: %s", seed, m).isEqualTo(12);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void sixteenNodesOfDegreeThreeEndAsOneComponent(long seed) {
    OverlayMetrics m = startedAtOnce(seed, 16, 3);

    assertThat(m.largestComponent()).as("seed %d: %s", seed, m).isEqualTo(16);
  }
}
