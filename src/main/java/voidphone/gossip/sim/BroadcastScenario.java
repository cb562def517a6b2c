package voidphone.gossip.sim;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * Runs a {@link BroadcastSpec}: the overlay is made (joins or a random layout) and settles, then
 * items are broadcast from random live nodes on Plumtree and (in the same simulation) the flooding
 * baseline, with an optional mass crash before or between them.
 */
public final class BroadcastScenario {
  /** The most virtual time given to in-flight handshakes before the overlay is measured. */
  private static final long QUIET_LIMIT_MILLIS = 60_000;
  /** Data type of the items; every simulated node subscribes to it. */
  private static final int DATA_TYPE = 1;

  private final BroadcastSpec spec;
  private final Simulation sim;

  private BroadcastScenario(BroadcastSpec spec) {
    this.spec = spec;
    List<BroadcastConfig> channels = new ArrayList<>();
    channels.add(spec.broadcast());
    if (spec.compareFlood()) {
      channels.add(spec.broadcast().withFlood(true));
    }
    this.sim = new Simulation(spec.sim(),
        new BroadcastSetup(channels, spec.items().validationDelayMillis()));
  }

  public static BroadcastReport run(BroadcastSpec spec) {
    return new BroadcastScenario(spec).run();
  }

  /** The simulation after {@link #run(BroadcastSpec)}; for tests that look closer. */
  static Simulation runAndKeep(BroadcastSpec spec, BroadcastReport[] report) {
    BroadcastScenario scenario = new BroadcastScenario(spec);
    report[0] = scenario.run();
    return scenario.sim;
  }

  private BroadcastReport run() {
    SplittableRandom random = sim.random();
    switch (spec.overlay()) {
      case JOINS -> join(random);
      case RANDOM -> layOut(random);
    }
    sim.runFor(spec.settleMillis());
    sim.runUntilQuiet(QUIET_LIMIT_MILLIS);
    OverlayMetrics overlay = OverlayMetrics.measure(sim);

    BroadcastSpec.Crash crash = spec.crash();
    BroadcastSpec.Items items = spec.items();
    int toCrash = crash.happens() ? (int) (overlay.alive() * crash.fraction()) : 0;
    int crashed = 0;
    long nextItemAt = sim.now();
    for (int k = 0; k < items.count(); k++) {
      if (crash.happens() && k == crash.afterItems()) {
        crashed = MembershipScenario.crash(sim, random, toCrash);
        nextItemAt = Math.max(nextItemAt, sim.now() + crash.healMillis());
      }
      sim.runUntil(nextItemAt);
      sim.broadcast(MembershipScenario.randomLiveNode(sim, random, sim.size()), DATA_TYPE, data(k));
      nextItemAt = sim.now() + items.intervalMillis();
    }
    sim.runFor(items.drainMillis());

    int crashAfter = crash.happens() ? crash.afterItems() : items.count();
    ProtocolFigures plumtree =
        ProtocolFigures.measure("plumtree", sim, 0, items.warmUp(), crashAfter);
    ProtocolFigures flood = spec.compareFlood()
        ? ProtocolFigures.measure("flood", sim, 1, items.warmUp(), crashAfter)
        : null;
    return new BroadcastReport(spec, overlay, crashed, plumtree, flood, sim.now(),
        sim.eventsProcessed());
  }

  private void join(SplittableRandom random) {
    sim.addNode();
    for (int i = 1; i < spec.nodes(); i++) {
      sim.runUntil(i * spec.joinIntervalMillis());
      int node = sim.addNode();
      sim.join(node, MembershipScenario.randomLiveNode(sim, random, node));
    }
  }

  /** A random graph with every node at the degree, but for a few repeats (configuration model). */
  private void layOut(SplittableRandom random) {
    int n = spec.nodes();
    int degree = spec.sim().membership().activeCapacity();
    for (int i = 0; i < n; i++) {
      sim.addNode();
    }
    int[] ends = new int[Math.multiplyExact(n, degree)];
    for (int i = 0; i < ends.length; i++) {
      ends[i] = i / degree;
    }
    for (int i = ends.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = ends[i];
      ends[i] = ends[j];
      ends[j] = t;
    }
    for (int i = 0; i + 1 < ends.length; i += 2) {
      sim.introduce(ends[i], ends[i + 1]); // skips a self-link or a repeated pair
    }
  }

  /** Eight bytes that name the item: small, since the simulator never encodes it. */
  private static byte[] data(int k) {
    return ByteBuffer.allocate(Long.BYTES).putLong(k).array();
  }
}
