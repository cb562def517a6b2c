package voidphone.gossip.sim;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Runs a {@link ScenarioSpec}: staggered joins, settling, a mass crash, healing. */
public final class MembershipScenario {
  /** The most virtual time given to in-flight handshakes before views are compared. */
  private static final long QUIET_LIMIT_MILLIS = 60_000;

  private final ScenarioSpec spec;
  private final Simulation sim;
  private int largestActive;
  private int largestPassive;

  private MembershipScenario(ScenarioSpec spec) {
    this.spec = spec;
    this.sim = new Simulation(spec.sim());
  }

  public static ScenarioReport run(ScenarioSpec spec) {
    return new MembershipScenario(spec).run();
  }

  /** The simulation after {@link #run(ScenarioSpec)}; for tests that look closer. */
  public static Simulation runAndKeep(ScenarioSpec spec, ScenarioReport[] report) {
    MembershipScenario scenario = new MembershipScenario(spec);
    report[0] = scenario.run();
    return scenario.sim;
  }

  private ScenarioReport run() {
    SplittableRandom random = sim.random();
    sim.addNode();
    for (int i = 1; i < spec.nodes(); i++) {
      sim.runUntil(i * spec.joinIntervalMillis());
      int node = sim.addNode();
      sim.join(node, randomLiveNode(sim, random, node));
    }
    sim.runFor(spec.settleMillis());
    sim.runUntilQuiet(QUIET_LIMIT_MILLIS);
    OverlayMetrics afterJoin = observe(OverlayMetrics.measure(sim));
    JoinTiming lastJoin = sim.joinTiming(spec.nodes() - 1);
    long[] full = new long[spec.nodes()];
    int fullCount = 0;
    for (int i = 1; i < spec.nodes(); i++) {
      long t = sim.joinTiming(i).fullMillis();
      if (t >= 0) {
        full[fullCount++] = t;
      }
    }
    Arrays.sort(full, 0, fullCount);
    long medianFull = fullCount == 0 ? -1 : full[fullCount / 2];
    double joinsFull = spec.nodes() <= 1 ? 0 : (double) fullCount / (spec.nodes() - 1);

    int crashed = 0;
    long clean = -1;
    long connected = -1;
    long refilled = -1;
    OverlayMetrics afterHeal = afterJoin;
    if (spec.crashFraction() > 0) {
      crashed = crash(sim, random, (int) (afterJoin.alive() * spec.crashFraction()));
      long crashAt = sim.now();
      double refilledMean = 0.9 * afterJoin.liveNeighborsMean();
      while (sim.now() - crashAt < spec.healLimitMillis()
          && (clean < 0 || connected < 0 || refilled < 0)) {
        sim.runFor(spec.probeIntervalMillis());
        OverlayMetrics m = observe(OverlayMetrics.measure(sim));
        long since = sim.now() - crashAt;
        if (clean < 0 && m.deadEntries() == 0) {
          clean = since;
        }
        if (connected < 0 && m.connectivity() >= 0.99) {
          connected = since;
        }
        if (refilled < 0 && m.liveNeighborsMean() >= refilledMean) {
          refilled = since;
        }
      }
      sim.runUntilQuiet(QUIET_LIMIT_MILLIS);
      afterHeal = observe(OverlayMetrics.measure(sim));
    }
    return new ScenarioReport(spec, lastJoin, joinsFull, medianFull, afterJoin, crashed, clean,
        connected, refilled, afterHeal, largestActive, largestPassive, sim.now(),
        sim.eventsProcessed());
  }

  private OverlayMetrics observe(OverlayMetrics m) {
    largestActive = Math.max(largestActive, m.active().max());
    largestPassive = Math.max(largestPassive, m.passive().max());
    return m;
  }

  /** A random live node among the first {@code bound}; one must exist. */
  static int randomLiveNode(Simulation sim, SplittableRandom random, int bound) {
    while (true) {
      int candidate = random.nextInt(bound);
      if (sim.isAlive(candidate)) {
        return candidate;
      }
    }
  }

  /** Crashes {@code count} distinct live nodes chosen at random; returns how many. */
  static int crash(Simulation sim, SplittableRandom random, int count) {
    int[] alive = new int[sim.size()];
    int n = 0;
    for (int i = 0; i < sim.size(); i++) {
      if (sim.isAlive(i)) {
        alive[n++] = i;
      }
    }
    int crashed = Math.min(count, n);
    for (int k = 0; k < crashed; k++) {
      int j = k + random.nextInt(n - k);
      int victim = alive[j];
      alive[j] = alive[k];
      alive[k] = victim;
      sim.crash(victim);
    }
    return crashed;
  }
}
