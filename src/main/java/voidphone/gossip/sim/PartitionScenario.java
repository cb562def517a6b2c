package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * A partition experiment: nodes join one after another and settle; the overlay runs quietly for
 * a while (its membership cost is counted); then the network is cut into two halves (even and odd
 * nodes) for a while and healed. Reported: how long after the heal the overlay is one component
 * again, and what share of the nodes an item announced right at the heal, and one announced once
 * the overlay merged, reach.
 */
public final class PartitionScenario {
  /** How often the overlay is measured after the heal: the resolution of the merge time. */
  private static final long MEASURE_EVERY_MILLIS = 250;

  /**
   * @param sim the network and the protocol configuration
   * @param nodes how many nodes join (node 0 starts, node i joins at i x interval through a random
   *     earlier node)
   * @param joinIntervalMillis virtual time between two joins
   * @param settleMillis virtual time after the last join before the quiet period
   * @param steadyMillis the quiet period whose membership messages and dials are counted
   * @param cutMillis how long the halves stay cut
   * @param watchMillis how long after the heal the overlay is watched for a merge at most
   * @param drainMillis how long each item is given to spread
   */
  public record Spec(SimConfig sim, int nodes, long joinIntervalMillis, long settleMillis,
      long steadyMillis, long cutMillis, long watchMillis, long drainMillis) {
    public Spec {
      if (nodes < 2) {
        throw new IllegalArgumentException("a partition needs at least two nodes");
      }
      if (joinIntervalMillis < 0 || settleMillis < 0 || steadyMillis <= 0 || cutMillis < 0
          || watchMillis <= 0 || drainMillis <= 0) {
        throw new IllegalArgumentException(
            "durations must not be negative; steady, watch and drain must be positive");
      }
    }
  }

  /**
   * @param beforeCut the overlay when the cut came
   * @param endOfCut the overlay just before the heal
   * @param mergeMillis virtual ms from the heal until the overlay was one component, -1 if it was
   *     not within the watch
   * @param afterMerge the overlay when it was one component again (or at the end of the watch)
   * @param reachAtHeal share of the live nodes the item announced at the heal reached
   * @param reachAfterMerge share of the live nodes the item announced after the merge reached
   * @param messagesPerNodeMinute membership messages per node and minute in the quiet period
   * @param probesPerNodeMinute merge probes per node and minute in the quiet period
   * @param dialsPerNodeMinute links opened per node and minute in the quiet period
   */
  public record Report(Spec spec, OverlayMetrics beforeCut, OverlayMetrics endOfCut, long mergeMillis,
      OverlayMetrics afterMerge, double reachAtHeal, double reachAfterMerge,
      double messagesPerNodeMinute, double probesPerNodeMinute, double dialsPerNodeMinute) {

    public List<String> lines() {
      List<String> out = new ArrayList<>();
      out.add(String.format(Locale.ROOT, "%d nodes, degree %d, cut into halves for %d s, seed %d",
          spec.nodes(), spec.sim().membership().activeCapacity(), spec.cutMillis() / 1000, spec.sim().seed()));
      out.add(String.format(Locale.ROOT,
          "quiet overlay (%d s): %.2f membership messages, %.3f merge probes, %.3f dials per node per minute",
          spec.steadyMillis() / 1000, messagesPerNodeMinute, probesPerNodeMinute, dialsPerNodeMinute));
      out.add("before the cut:   " + describe(beforeCut));
      out.add("end of the cut:   " + describe(endOfCut));
      out.add(mergeMillis < 0
          ? "not one component within " + spec.watchMillis() / 1000 + " s of the heal"
          : String.format(Locale.ROOT, "one component %.2f s after the heal", mergeMillis / 1000.0));
      out.add("after the merge:  " + describe(afterMerge));
      out.add(String.format(Locale.ROOT,
          "item announced at the heal reached %.2f %% of the nodes, one announced after the merge %.2f %%",
          100 * reachAtHeal, 100 * reachAfterMerge));
      return out;
    }

    private static String describe(OverlayMetrics m) {
      return String.format(Locale.ROOT, "largest component %d of %d, active %s, passive %s",
          m.largestComponent(), m.alive(), m.active(), m.passive());
    }
  }

  private PartitionScenario() {}

  public static Report run(Spec spec) {
    Simulation sim = new Simulation(spec.sim(), BroadcastSetup.of(BroadcastConfig.defaults()));
    sim.addNode();
    for (int i = 1; i < spec.nodes(); i++) {
      sim.runUntil(i * spec.joinIntervalMillis());
      int node = sim.addNode();
      sim.join(node, MembershipScenario.randomLiveNode(sim, sim.random(), node));
    }
    sim.runFor(spec.settleMillis());

    long messages = sim.membershipMessages();
    long probes = sim.mergeProbes();
    long dials = sim.linksOpened();
    sim.runFor(spec.steadyMillis());
    double nodeMinutes = spec.nodes() * (spec.steadyMillis() / 60_000.0);
    double messageRate = (sim.membershipMessages() - messages) / nodeMinutes;
    double probeRate = (sim.mergeProbes() - probes) / nodeMinutes;
    double dialRate = (sim.linksOpened() - dials) / nodeMinutes;

    OverlayMetrics beforeCut = OverlayMetrics.measure(sim);
    sim.partition(i -> i % 2 == 1);
    sim.runFor(spec.cutMillis());
    OverlayMetrics endOfCut = OverlayMetrics.measure(sim);
    sim.heal();
    long healedAt = sim.now();
    int atHeal = sim.broadcast(sim.random().nextInt(spec.nodes()), 1, new byte[] {1});

    long merged = -1;
    OverlayMetrics afterMerge = endOfCut;
    while (sim.now() - healedAt < spec.watchMillis()) {
      sim.runFor(MEASURE_EVERY_MILLIS);
      afterMerge = OverlayMetrics.measure(sim);
      if (afterMerge.largestComponent() == afterMerge.alive()) {
        merged = sim.now() - healedAt;
        break;
      }
    }
    int afterMergeItem = sim.broadcast(sim.random().nextInt(spec.nodes()), 1, new byte[] {2});
    sim.runFor(spec.drainMillis());
    BroadcastLog log = sim.broadcastLog();
    return new Report(spec, beforeCut, endOfCut, merged, afterMerge,
        reach(log, atHeal, afterMerge.alive()), reach(log, afterMergeItem, afterMerge.alive()),
        messageRate, probeRate, dialRate);
  }

  private static double reach(BroadcastLog log, int item, int alive) {
    return (double) log.items().get(item).delivered.cardinality() / alive;
  }
}
