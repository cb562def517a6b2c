package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import voidphone.gossip.core.broadcast.BroadcastConfig;

/** The broadcast experiment the large tests share, and the checks they make of its report. */
final class BroadcastExperiments {
  private BroadcastExperiments() {}

  /**
   * Items one second apart, the first {@code warmUp} left out of "formed"; 30% of the nodes crash
   * right after item {@code crashAfter}, and the next item follows one interval later.
   *
   * <p>Plumtree is tuned for this network, as docs/BENCHMARKS.md ("Simulator: broadcast") measures:
   * a link is pruned at its first duplicate, as in the paper (with one item in flight at a time
   * that settles into a tree; the core's default, 3, chosen for overlapping broadcasts, keeps
   * redundant links eager), and the first GRAFT waits 250 ms instead of 80 (with one-way latencies
   * up to 100 ms, an IHAVE over a lazy link often beats the tree path by more than 80 ms, and each
   * needless GRAFT costs a payload and reshapes the tree).
   */
  static BroadcastSpec withCrash(BroadcastSpec base, int items, int warmUp, int crashAfter) {
    return base
        .withBroadcast(
            BroadcastConfig.defaults().withPruneAfterDuplicates(1).withGraftTimeouts(250, 100))
        .withItems(new BroadcastSpec.Items(items, 1_000, warmUp, 10_000, 0))
        .withCrash(new BroadcastSpec.Crash(0.3, crashAfter, 0));
  }

  /**
   * Items 1 to {@code crashAfter - 1}: item {@code crashAfter} is in flight when the crash comes,
   * and its origin may be among the victims.
   */
  static void assertEveryItemReachedEveryone(BroadcastReport report, int crashAfter) {
    for (ProtocolFigures p : new ProtocolFigures[] {report.plumtree(), report.flood()}) {
      assertThat(p.items().subList(0, crashAfter - 1))
          .as(p.name())
          .allSatisfy(item -> assertThat(item.reliability()).isEqualTo(1.0));
    }
  }

  static void assertReliableAfterTheCrash(BroadcastReport report, int nodes) {
    assertThat(report.alive()).isEqualTo(nodes - report.crashed());
    assertThat(report.crashed()).isEqualTo((int) (0.3 * nodes));
    assertThat(report.plumtree().afterCrash().reliabilityMin()).isGreaterThanOrEqualTo(0.999);
  }

  /**
   * Flooding sends each item over every link once in each direction but the one it arrived on:
   * sum of degrees - (n - 1) copies, so RMR = mean degree x n / (n - 1) - 2. The mean degree
   * grows a little while the broadcasts run (views still filling), up to the full degree.
   */
  static void assertFloodRedundancyIsDegreeMinusTwo(BroadcastReport report) {
    double meanDegree = report.overlay().active().mean();
    int degree = report.spec().sim().membership().activeCapacity();
    assertThat(report.flood().formed().rmr())
        .isBetween(meanDegree - 2.05, degree - 2 + 0.05);
  }

  static void assertPayloadsTraced(BroadcastReport report) {
    for (ProtocolFigures p : new ProtocolFigures[] {report.plumtree(), report.flood()}) {
      long traced = p.items().stream().mapToLong(ItemFigures::payloads).sum();
      assertThat(traced).as(p.name()).isEqualTo(p.payloadsCounted());
    }
  }
}
