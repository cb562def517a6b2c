package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.IntCountsHistogram;
import voidphone.gossip.core.broadcast.BroadcastCounter;

/**
 * What one broadcast protocol achieved in a run: per item, and summed over all items and over the
 * items sent once the tree had formed.
 *
 * @param name "plumtree" or "flood"
 * @param items one entry per item, in broadcast order
 * @param all every item
 * @param formed the items once the tree has formed: after the warm-up ({@link
 *     BroadcastSpec.Items#warmUp}) and, if a crash came during the broadcasts (after the warm-up),
 *     before the item in flight when it came
 * @param afterCrash the items announced after a crash during the broadcasts (the item in flight
 *     when it happened excluded); null if there was none
 * @param payloadsCounted the cores' own PAYLOAD_SENT counters summed over every node: equals the
 *     sum of the items' payloads when every payload belonged to a traced item
 * @param ihaves IHAVE messages sent over the run
 * @param grafts GRAFT messages sent over the run
 * @param prunes PRUNE messages sent over the run
 * @param repeatedDeliveries deliveries of an item to a node that had delivered it before (must be 0)
 * @param penalties penalties honest nodes gave honest peers (must be 0)
 */
public record ProtocolFigures(
    String name,
    List<ItemFigures> items,
    Summary all,
    Summary formed,
    Summary afterCrash,
    long payloadsCounted,
    long ihaves,
    long grafts,
    long prunes,
    long repeatedDeliveries,
    long penalties) {

  public ProtocolFigures {
    items = List.copyOf(items);
  }

  /**
   * Figures over several items.
   *
   * @param items how many
   * @param reliabilityMin the worst item's reliability
   * @param reliability live nodes reached over live nodes, summed over the items
   * @param rmr payloads / sum of (delivered - 1), minus 1: RMR of the items taken together
   * @param ldhMean mean last delivery hop
   * @param ldhMax the largest last delivery hop
   * @param latencyP50Millis over every delivery of these items
   * @param latencyP99Millis over every delivery of these items
   * @param latencyMaxMillis over every delivery of these items
   * @param payloads payload messages sent for these items
   * @param payloadBytesPerNode bytes of their GOSSIP frames, per live node and item
   * @param controlBytesPerNode their share of the IHAVE and GRAFT frames, per live node and item
   */
  public record Summary(
      int items,
      double reliabilityMin,
      double reliability,
      double rmr,
      double ldhMean,
      int ldhMax,
      long latencyP50Millis,
      long latencyP99Millis,
      long latencyMaxMillis,
      long payloads,
      double payloadBytesPerNode,
      double controlBytesPerNode) {}

  /**
   * Reads the traces of {@code sim}, at the end of a run in which the crash came
   * right after item {@code crashAfter} was announced ({@code crashAfter} = the item count if none
   * came during the broadcasts).
   */
  static ProtocolFigures measure(
      String name, Simulation sim, int warmUp, int crashAfter) {
    BroadcastLog log = sim.broadcastLog();
    int alive = 0;
    for (int i = 0; i < sim.size(); i++) {
      alive += sim.isAlive(i) && sim.isHonest(i) ? 1 : 0; // sybils deliver nothing to the log
    }
    List<ItemFigures> items = new ArrayList<>();
    long repeated = 0;
    for (ItemTrace t : log.items()) {
      int reached = 0;
      for (int node = t.delivered.nextSetBit(0); node >= 0; node = t.delivered.nextSetBit(node + 1)) {
        reached += sim.isAlive(node) ? 1 : 0;
      }
      List<Integer> missedBy = new ArrayList<>();
      for (int node = t.delivered.nextClearBit(0);
          node < sim.size() && reached < alive && missedBy.size() < ItemFigures.MISSED_LISTED;
          node = t.delivered.nextClearBit(node + 1)) {
        if (sim.isAlive(node) && sim.isHonest(node)) {
          missedBy.add(node);
        }
      }
      items.add(new ItemFigures(t.index, t.origin, t.delivered.cardinality(), reached, alive,
          t.payloads, t.payloadBytes, t.controlBytes, t.maxHops,
          percentile(t.latency, 50), percentile(t.latency, 99), t.latency.getMaxValue(), missedBy));
      repeated += t.repeatedDeliveries;
    }
    List<ItemTrace> traces = log.items();
    int count = items.size();
    boolean crashWithin = crashAfter > 0 && crashAfter < count;
    // the item announced just before the crash is in flight when it happens: not "formed"
    int formedEnd = crashWithin && crashAfter - 1 > warmUp ? crashAfter - 1 : count;
    return new ProtocolFigures(
        name,
        items,
        summarise(items, traces, 0, count),
        summarise(items, traces, Math.min(warmUp, count), formedEnd),
        crashWithin ? summarise(items, traces, crashAfter, count) : null,
        sim.broadcastCount(BroadcastCounter.PAYLOAD_SENT),
        sim.broadcastCount(BroadcastCounter.IHAVE_SENT),
        sim.broadcastCount(BroadcastCounter.GRAFT_SENT),
        sim.broadcastCount(BroadcastCounter.PRUNE_SENT),
        repeated,
        sim.honestPenalties());
  }

  /** Over items {@code from} (inclusive) to {@code to} (exclusive). */
  private static Summary summarise(
      List<ItemFigures> items, List<ItemTrace> traces, int from, int to) {
    IntCountsHistogram latency = new IntCountsHistogram(3);
    double reliabilityMin = 1;
    long reached = 0;
    long alive = 0;
    long payloads = 0;
    long payloadBytes = 0;
    double controlBytes = 0;
    long copiesNeeded = 0;
    long ldhSum = 0;
    int ldhMax = 0;
    for (int i = from; i < to; i++) {
      ItemFigures item = items.get(i);
      reliabilityMin = Math.min(reliabilityMin, item.reliability());
      reached += item.reached();
      alive += item.alive();
      payloads += item.payloads();
      payloadBytes += item.payloadBytes();
      controlBytes += item.controlBytes();
      copiesNeeded += Math.max(0, item.delivered() - 1);
      ldhSum += item.ldh();
      ldhMax = Math.max(ldhMax, item.ldh());
      latency.add(traces.get(i).latency);
    }
    int count = to - from;
    return new Summary(
        count,
        reliabilityMin,
        alive == 0 ? 1.0 : (double) reached / alive,
        copiesNeeded == 0 ? Double.NaN : (double) payloads / copiesNeeded - 1,
        count == 0 ? 0 : (double) ldhSum / count,
        ldhMax,
        percentile(latency, 50),
        percentile(latency, 99),
        latency.getMaxValue(),
        payloads,
        alive == 0 ? 0 : (double) payloadBytes / alive,
        alive == 0 ? 0 : controlBytes / alive);
  }

  private static long percentile(IntCountsHistogram h, double p) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
  }
}
