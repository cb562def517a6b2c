package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a {@link BroadcastScenario} measured. A function of the spec and its seed: two runs of one
 * spec give equal reports.
 *
 * @param overlay the overlay once settled, before any crash or broadcast
 * @param crashed nodes that crashed
 * @param plumtree the protocol under test
 * @param flood the flooding baseline from the same run, or null if it was not run
 * @param virtualMillis virtual time the whole run covered
 * @param events events the simulator processed, over the Plumtree run and the baseline's
 */
public record BroadcastReport(
    BroadcastSpec spec,
    OverlayMetrics overlay,
    int crashed,
    ProtocolFigures plumtree,
    ProtocolFigures flood,
    long virtualMillis,
    long events) {

  /** Live nodes at the end of the run: the population every figure is taken over. */
  public int alive() {
    return plumtree.items().getFirst().alive();
  }

  /** Lower bound on the hops of a broadcast in an overlay of this degree: log_(d-1)(n). */
  public double hopBound() {
    int degree = spec.sim().membership().activeCapacity();
    return degree <= 2 ? alive() - 1 : Math.log(alive()) / Math.log(degree - 1);
  }

  /** A few human-readable lines: the setting, one line per protocol, and the bounds. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    SimConfig sim = spec.sim();
    BroadcastSpec.Items items = spec.items();
    out.add(String.format(Locale.ROOT,
        "sim broadcast: %d nodes, degree %d, seed %d, latency %d..%d ms, loss %.3f, detection %d ms",
        spec.nodes(), sim.membership().activeCapacity(), sim.seed(), sim.latencyMinMillis(),
        sim.latencyMaxMillis(), sim.loss(), sim.failureDetectionMillis()));
    if (sim.stalls().any()) {
      out.add(sim.stalls().describe());
    }
    out.add("overlay before broadcasting: " + ScenarioReport.describe(overlay));
    BroadcastSpec.Crash crash = spec.crash();
    if (crashed > 0) {
      out.add(String.format(Locale.ROOT,
          "crash of %d nodes at once %s, next item %d ms later; %d alive at the end",
          crashed,
          crash.afterItems() == 0
              ? "before the first item"
              : "right after item " + crash.afterItems() + " was announced",
          crash.afterItems() == 0
              ? crash.healMillis()
              : Math.max(crash.healMillis(), items.intervalMillis()),
          alive()));
    }
    ProtocolFigures.Summary formed = plumtree.formed();
    int formedFirst = Math.min(items.warmUp(), items.count()) + 1;
    out.add(String.format(Locale.ROOT,
        "items: %d from random live nodes, %d ms apart%s; \"formed\" = items %d..%d (the first %d "
            + "shape the tree%s)",
        items.count(), items.intervalMillis(),
        items.validationDelayMillis() > 0
            ? ", each validated after " + items.validationDelayMillis() + " ms" : "",
        formedFirst, formedFirst + formed.items() - 1, items.warmUp(),
        plumtree.afterCrash() != null && formedFirst + formed.items() - 1 < items.count()
            ? ", later ones follow the crash" : ""));
    out.add(describe(plumtree));
    if (flood != null) {
      out.add(describe(flood));
    }
    if (plumtree.afterCrash() != null) {
      out.add(afterCrash(plumtree) + (flood != null ? "; " + afterCrash(flood) : ""));
    }
    out.add(String.format(Locale.ROOT,
        "bounds:   n-1 = %d payload transmissions per item (RMR 0), log_%d(%d) = %.1f hops",
        alive() - 1, sim.membership().activeCapacity() - 1, alive(), hopBound()));
    out.add(String.format(Locale.ROOT, "virtual time %.1f s, %d events", virtualMillis / 1000.0,
        events));
    return out;
  }

  /** One line per item, for a closer look at how the tree forms. */
  public List<String> itemLines() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < plumtree.items().size(); i++) {
      ItemFigures p = plumtree.items().get(i);
      String line = String.format(Locale.ROOT,
          "item %3d from node %d: plumtree reached %d, RMR %.3f, LDH %d, latency p50 %d / max %d ms",
          i + 1, p.origin(), p.reached(), p.rmr(), p.ldh(), p.latencyP50Millis(),
          p.latencyMaxMillis());
      if (!p.missedBy().isEmpty()) {
        int more = p.alive() - p.reached() - p.missedBy().size();
        line += "; missed by node" + (p.missedBy().size() > 1 ? "s " : " ")
            + p.missedBy().stream().map(String::valueOf).collect(Collectors.joining(" "))
            + (more > 0 ? " and " + more + " more" : "");
      }
      if (flood != null) {
        ItemFigures f = flood.items().get(i);
        line += String.format(Locale.ROOT, "; flood reached %d, RMR %.2f, LDH %d, p50 %d ms",
            f.reached(), f.rmr(), f.ldh(), f.latencyP50Millis());
      }
      out.add(line);
    }
    return out;
  }

  private static String afterCrash(ProtocolFigures p) {
    ProtocolFigures.Summary s = p.afterCrash();
    return String.format(Locale.ROOT,
        "after the crash, %s: reliability %.3f%% (worst item %.3f%%), RMR %.3f, LDH %d max, "
            + "latency p99 %d ms",
        p.name(), 100 * s.reliability(), 100 * s.reliabilityMin(), s.rmr(), s.ldhMax(),
        s.latencyP99Millis());
  }

  private static String describe(ProtocolFigures p) {
    ProtocolFigures.Summary all = p.all();
    ProtocolFigures.Summary formed = p.formed();
    int count = all.items();
    return String.format(Locale.ROOT,
        "%-9s reliability %.3f%% (worst item %.3f%%); once formed: RMR %.3f, LDH %.1f mean / %d max, "
            + "latency p50 %d / p99 %d / max %d ms, per node and item %.0f B IHAVE and GRAFT and "
            + "%.0f B payload; all items: RMR %.3f; per item %.0f IHAVE, %.1f GRAFT, %.1f PRUNE; "
            + "penalties to honest peers %d",
        p.name() + ":", 100 * all.reliability(), 100 * all.reliabilityMin(), formed.rmr(),
        formed.ldhMean(), formed.ldhMax(), formed.latencyP50Millis(), formed.latencyP99Millis(),
        formed.latencyMaxMillis(), formed.controlBytesPerNode(), formed.payloadBytesPerNode(), all.rmr(), (double) p.ihaves() / count,
        (double) p.grafts() / count, (double) p.prunes() / count, p.penalties());
  }
}
