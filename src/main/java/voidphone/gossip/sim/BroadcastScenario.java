package voidphone.gossip.sim;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * Runs a {@link BroadcastSpec}: the overlay is made (joins or a random layout) and settles, then
 * items are broadcast from random live nodes, with an optional mass crash before or between them;
 * on Plumtree, and then, with the same seed (so the same overlay, origins and crash), on the
 * flooding baseline.
 */
public final class BroadcastScenario {
  /** The most virtual time given to in-flight handshakes before the overlay is measured. */
  private static final long QUIET_LIMIT_MILLIS = 60_000;

  private final BroadcastSpec spec;
  private final Simulation sim;

  private BroadcastScenario(BroadcastSpec spec, BroadcastConfig broadcast) {
    this.spec = spec;
    this.sim = new Simulation(spec.sim(), new BroadcastSetup(broadcast, spec.items().validationDelayMillis()));
  }

  public static BroadcastReport run(BroadcastSpec spec) {
    BroadcastReport[] report = new BroadcastReport[1];
    runAndKeep(spec, report);
    return report[0];
  }

  /** The Plumtree run's simulation after {@link #run(BroadcastSpec)}; for tests that look closer. */
  static Simulation runAndKeep(BroadcastSpec spec, BroadcastReport[] report) {
    BroadcastScenario plumtree = new BroadcastScenario(spec, spec.broadcast());
    Run main = plumtree.run("plumtree");
    Run flood = spec.compareFlood()
        ? new BroadcastScenario(spec, spec.broadcast().withFlood(true)).run("flood")
        : null;
    report[0] = new BroadcastReport(spec, main.overlay(), main.crashed(), main.figures(),
        flood == null ? null : flood.figures(), main.virtualMillis(),
        main.events() + (flood == null ? 0 : flood.events()));
    return plumtree.sim;
  }

  private record Run(OverlayMetrics overlay, int crashed, ProtocolFigures figures, long virtualMillis, long events) {}

  private Run run(String name) {
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
      sim.broadcast(MembershipScenario.randomLiveNode(sim, random, sim.size()), Simulation.ITEM_DATA_TYPE, data(k));
      nextItemAt = sim.now() + items.intervalMillis();
    }
    sim.runFor(items.drainMillis());

    int crashAfter = crash.happens() ? crash.afterItems() : items.count();
    ProtocolFigures figures = ProtocolFigures.measure(name, sim, items.warmUp(), crashAfter);
    return new Run(overlay, crashed, figures, sim.now(), sim.eventsProcessed());
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
  static byte[] data(int k) {
    return ByteBuffer.allocate(Long.BYTES).putLong(k).array();
  }
}
