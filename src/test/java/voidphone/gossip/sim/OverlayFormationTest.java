package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Small overlays started all at once through one bootstrapper, as a new user starts a testnet:
 * whatever groups the first seconds form, every run is one component within 30 s of virtual time.
 * The simulator runs the production node core over links with handshakes that take time, so the
 * real split (cliques of full nodes that never merge) reproduces here without merge probes.
 */
class OverlayFormationTest {
  private static final long FIRST_SEED = Long.getLong("gossip.test.seed", 0);
  private static final int SEEDS = 200;
  private static final long WITHIN_MILLIS = 30_000;

  static LongStream seeds() {
    return LongStream.range(FIRST_SEED, FIRST_SEED + SEEDS);
  }

  /**
   * Seeds (nodes, degree, seed) whose overlay splits for good without merge probes, as 12 real
   * processes of degree 4 did (issue 11): the groups that filled their views first stayed apart.
   * Since shuffle replies on freshly dialled links reach their origin (as on a socket), no seed of
   * 12 nodes of degree 4 in 3,000 splits this way; these 16-node ones of degree 3 still do (the
   * first five such seeds from 0, with the eviction and passive-view rules of issue 12; every
   * change to how views fill moves them).
   */
  static Stream<Arguments> seedsThatSplit() {
    return Stream.of(
        Arguments.of(16, 3, 11L),
        Arguments.of(16, 3, 128L),
        Arguments.of(16, 3, 164L),
        Arguments.of(16, 3, 173L),
        Arguments.of(16, 3, 328L));
  }

  /** Nodes 1..n-1 all join through node 0 at time 0; the overlay after {@link #WITHIN_MILLIS}. */
  private static OverlayMetrics startedAtOnce(long seed, int nodes, int degree) {
    return startedAtOnce(seed, MembershipConfig.withDegree(degree), nodes, WITHIN_MILLIS);
  }

  private static OverlayMetrics startedAtOnce(long seed, MembershipConfig membership, int nodes, long millis) {
    Simulation sim = new Simulation(SimConfig.defaults(seed, membership));
    for (int i = 0; i < nodes; i++) {
      sim.addNode();
    }
    for (int i = 1; i < nodes; i++) {
      sim.join(i, 0);
    }
    sim.runFor(millis);
    return OverlayMetrics.measure(sim);
  }

  @ParameterizedTest(name = "{0} nodes of degree {1}, seed {2}")
  @MethodSource("seedsThatSplit")
  void withoutMergeProbesTheseSeedsStaySplit(int nodes, int degree, long seed) {
    OverlayMetrics m = startedAtOnce(seed, MembershipConfig.withDegree(degree).withoutMergeProbes(), nodes, 90_000);

    assertThat(m.largestComponent()).as("seed %d: %s", seed, m).isLessThan(nodes);
  }

  @ParameterizedTest(name = "{0} nodes of degree {1}, seed {2}")
  @MethodSource("seedsThatSplit")
  void withMergeProbesTheSeedsThatSplitEndAsOneComponent(int nodes, int degree, long seed) {
    OverlayMetrics m = startedAtOnce(seed, nodes, degree);

    assertThat(m.largestComponent()).as("seed %d: %s", seed, m).isEqualTo(nodes);
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
