package voidphone.gossip.sim;

import java.util.List;

/**
 * What one run of an attack scenario measured, over the honest nodes and the honest items
 * announced once the attack had started.
 *
 * @param sybils sybils in the run (0 for the baseline)
 * @param items honest items: reliability over honest nodes, latency over honest deliveries, RMR
 *     over the honest nodes' payloads
 * @param probes the honest overlay, probed during the attack
 * @param ihaves IHAVE messages honest nodes sent during the attack
 * @param ihaveIds ids those IHAVEs carried
 * @param grafts GRAFT messages honest nodes sent
 * @param prunes PRUNE messages honest nodes sent
 * @param controlBytes bytes of those messages' frames, before TLS
 * @param honestPenalties penalties honest nodes gave honest peers over the whole run (must be 0)
 * @param sybilPenalties penalties honest nodes gave sybils
 * @param sybilBans bans of sybils by honest nodes
 * @param recoveryMillis for a covert flash: from the flash until every later item reached 99.9 % of
 *     the honest nodes; -1 otherwise
 * @param attackMillis virtual ms from the attack's start to the end of the run
 * @param wallMillis wall-clock ms the run took
 * @param honest honest nodes
 * @param victimMissedItems measured items the victim (the first honest node: censored, or pressed
 *     by an eclipse) never had
 * @param sybilMessageRate how fast honest nodes handled sybils' messages during the attack, in
 *     messages a second per link (over the links up at the end)
 */
public record AttackRun(
    int sybils,
    ProtocolFigures.Summary items,
    List<AttackScenario.OverlayProbe> probes,
    long ihaves,
    long ihaveIds,
    long grafts,
    long prunes,
    long controlBytes,
    long honestPenalties,
    long sybilPenalties,
    long sybilBans,
    long recoveryMillis,
    long attackMillis,
    long wallMillis,
    int honest,
    int victimMissedItems,
    double sybilMessageRate) {

  /** The lowest share of the honest nodes in the largest honest component at any probe. */
  public double minConnectivity() {
    return probes.stream().mapToDouble(AttackScenario.OverlayProbe::connectivity).min().orElse(1);
  }

  /** The sybils' share of the honest nodes' active-view slots: mean over the probes. */
  public double meanSybilSlotShare() {
    return probes.stream().mapToDouble(AttackScenario.OverlayProbe::sybilSlotShare).average().orElse(0);
  }

  public double maxSybilSlotShare() {
    return probes.stream().mapToDouble(AttackScenario.OverlayProbe::sybilSlotShare).max().orElse(0);
  }

  /** The share of the honest nodes' passive-view entries that name sybils: mean over the probes. */
  public double meanSybilPassiveShare() {
    return probes.stream().mapToDouble(AttackScenario.OverlayProbe::sybilPassiveShare).average().orElse(0);
  }

  public double maxSybilPassiveShare() {
    return probes.stream().mapToDouble(AttackScenario.OverlayProbe::sybilPassiveShare).max().orElse(0);
  }

  /** The fewest honest neighbours (both ways) the victim had at any probe. */
  public int victimMinHonestNeighbors() {
    return probes.stream().mapToInt(AttackScenario.OverlayProbe::victimHonestNeighbors).min().orElse(0);
  }

  /** Control bytes per honest node and item. */
  public double controlBytesPerNodeAndItem() {
    return items.items() == 0 ? 0 : (double) controlBytes / honest / items.items();
  }
}
