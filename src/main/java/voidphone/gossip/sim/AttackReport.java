package voidphone.gossip.sim;

import java.util.Locale;

/** An attack run beside the same seed without attackers, and its printout. */
public record AttackReport(AttackSpec spec, AttackRun attacked, AttackRun baseline) {

  public String format() {
    StringBuilder out = new StringBuilder();
    AttackSpec s = spec;
    out.append(String.format(Locale.ROOT,
        "attack %s (%s): %d honest nodes, %d sybils, timing %s, degree %d, seed %d%n",
        s.attack().cliName(), s.attack().summary(), s.honest(), s.sybils(),
        s.timing().name().toLowerCase(Locale.ROOT).replace('_', '-'),
        s.sim().membership().activeCapacity(), s.sim().seed()));
    out.append(String.format(Locale.ROOT,
        "%d honest items, one every %d ms, from random honest nodes%s%n", s.items(), s.itemIntervalMillis(),
        s.attack() == Attack.CENSOR ? " (every other one from the censored node)" : ""));
    out.append(String.format(Locale.ROOT, "%-26s %14s %14s%n", "", "attacked", "no attackers"));
    row(out, "reliability, mean", pct(attacked.items().reliability()), pct(baseline.items().reliability()));
    row(out, "reliability, worst item", pct(attacked.items().reliabilityMin()), pct(baseline.items().reliabilityMin()));
    row(out, "latency p50 ms", num(attacked.items().latencyP50Millis()), num(baseline.items().latencyP50Millis()));
    row(out, "latency p99 ms", num(attacked.items().latencyP99Millis()), num(baseline.items().latencyP99Millis()));
    row(out, "largest honest component", pct(attacked.minConnectivity()) + " min", pct(baseline.minConnectivity()) + " min");
    row(out, "sybil share of slots", pct(attacked.meanSybilSlotShare()) + " mean", "-");
    row(out, "sybil share of slots, max", pct(attacked.maxSybilSlotShare()), "-");
    row(out, "sybil passive share", pct(attacked.meanSybilPassiveShare()) + " mean", "-");
    row(out, "sybil passive share, max", pct(attacked.maxSybilPassiveShare()), "-");
    row(out, "victim: honest neighbours", attacked.victimMinHonestNeighbors() + " min", baseline.victimMinHonestNeighbors() + " min");
    row(out, "victim: items missed", num(attacked.victimMissedItems()), num(baseline.victimMissedItems()));
    row(out, "RMR (honest payloads)", dec(attacked.items().rmr()), dec(baseline.items().rmr()));
    row(out, "control B per node, item", dec(attacked.controlBytesPerNodeAndItem()), dec(baseline.controlBytesPerNodeAndItem()));
    row(out, "IHAVE / GRAFT / PRUNE", attacked.ihaves() + "/" + attacked.grafts() + "/" + attacked.prunes(),
        baseline.ihaves() + "/" + baseline.grafts() + "/" + baseline.prunes());
    row(out, "msgs/s per sybil link", String.format(Locale.ROOT, "%.0f", attacked.sybilMessageRate()), "-");
    row(out, "penalties to honest peers", num(attacked.honestPenalties()), num(baseline.honestPenalties()));
    row(out, "penalties to sybils", num(attacked.sybilPenalties()), "-");
    row(out, "sybils banned (bans)", num(attacked.sybilBans()), "-");
    if (attacked.recoveryMillis() != -1 || s.timing() == AttackSpec.Timing.FLASH) {
      row(out, "back to 99.9 % after flash", attacked.recoveryMillis() < 0 ? "never" : attacked.recoveryMillis() + " ms", "-");
    }
    out.append(String.format(Locale.ROOT, "wall time %.1f s + %.1f s (baseline)%n",
        attacked.wallMillis() / 1000.0, baseline.wallMillis() / 1000.0));
    return out.toString();
  }

  private static void row(StringBuilder out, String name, String a, String b) {
    out.append(String.format(Locale.ROOT, "%-26s %14s %14s%n", name, a, b));
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.3f %%", 100 * v);
  }

  private static String num(long v) {
    return Long.toString(v);
  }

  private static String dec(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
