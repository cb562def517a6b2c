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
   * <p>Plumtree runs with the defaults a node runs ({@code BroadcastConfig.defaults()}).
   */
  static BroadcastSpec withCrash(BroadcastSpec base, int items, int warmUp, int crashAfter) {
    return base
        .withBroadcast(BroadcastConfig.defaults())
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
