package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link MembershipScenario} measured. Every field is a function of the spec and its seed,
 * so two runs of one spec give equal reports.
 *
 * @param lastJoin how the last node's join went (the N-th node joins the largest overlay)
 * @param joinsFull share of all nodes whose active view was ever full
 * @param medianJoinFullMillis median time from join to a full active view over those nodes
 * @param afterJoin the overlay once settled, measured with no handshake half done
 * @param crashed how many nodes crashed at once
 * @param healCleanMillis from the crash until no active view names a dead node, or -1
 * @param healConnectedMillis from the crash until 99% of the survivors form one component, or -1
 * @param healRefilledMillis from the crash until the survivors' mean active view is back to 90%
 *     of what it was before, or -1
 * @param afterHeal the overlay at the end, measured with no handshake half done
 * @param largestActiveSeen the largest active view of any node at any measurement
 * @param largestPassiveSeen the largest passive view of any node at any measurement
 * @param virtualMillis virtual time the whole run covered
 * @param events events the simulator processed
 */
public record ScenarioReport(
    ScenarioSpec spec,
    JoinTiming lastJoin,
    double joinsFull,
    long medianJoinFullMillis,
    OverlayMetrics afterJoin,
    int crashed,
    long healCleanMillis,
    long healConnectedMillis,
    long healRefilledMillis,
    OverlayMetrics afterHeal,
    int largestActiveSeen,
    int largestPassiveSeen,
    long virtualMillis,
    long events) {

  /** A few human-readable lines. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    SimConfig sim = spec.sim();
    out.add(String.format(Locale.ROOT,
        "sim: %d nodes, degree %d, passive %d, seed %d, latency %d..%d ms, loss %.3f, detection %d ms",
        spec.nodes(), sim.membership().activeCapacity(), sim.membership().passiveCapacity(),
        sim.seed(), sim.latencyMinMillis(), sim.latencyMaxMillis(), sim.loss(),
        sim.failureDetectionMillis()));
    out.add(String.format(Locale.ROOT,
        "join of node %d (last): first neighbour %s, half full %s, full %s (active %d)",
        spec.nodes(), ms(lastJoin.firstNeighborMillis()), ms(lastJoin.halfFullMillis()),
        ms(lastJoin.fullMillis()), lastJoin.activeSize()));
    out.add(String.format(Locale.ROOT,
        "joins: %.1f%% of nodes reached a full active view, median %s after joining",
        100 * joinsFull, ms(medianJoinFullMillis)));
    out.add("after joining:  " + describe(afterJoin));
    if (crashed > 0) {
      out.add(String.format(Locale.ROOT,
          "crash of %d nodes at once: no dead neighbour after %s, 99%% connected after %s, "
              + "views refilled after %s",
          crashed, ms(healCleanMillis), ms(healConnectedMillis), ms(healRefilledMillis)));
      out.add("after healing:  " + describe(afterHeal));
    }
    out.add(String.format(Locale.ROOT, "virtual time %.1f s, %d events",
        virtualMillis / 1000.0, events));
    return out;
  }

  static String describe(OverlayMetrics m) {
    return String.format(Locale.ROOT,
        "%d alive, largest component %.2f%%, isolated %d, active min/mean/max %s, "
            + "passive %s, asymmetric %d, dead entries %d",
        m.alive(), 100 * m.connectivity(), m.isolated(), m.active(), m.passive(),
        m.asymmetricEntries(), m.deadEntries());
  }

  private static String ms(long millis) {
    return millis < 0 ? "never" : millis + " ms";
  }
}
