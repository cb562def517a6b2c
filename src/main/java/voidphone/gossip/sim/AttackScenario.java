package voidphone.gossip.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import voidphone.gossip.core.broadcast.BroadcastCounter;

/**
 * Runs an {@link AttackSpec}: the overlay forms with the sybils arriving as its timing says, the
 * attack starts, honest items flow from random honest nodes while the honest overlay is probed;
 * then the same seed again with the honest nodes alone, for the baseline.
 */
public final class AttackScenario {
  /** The most virtual time given to in-flight handshakes before the overlay is measured. */
  private static final long QUIET_LIMIT_MILLIS = 60_000;

  private final AttackSpec spec;
  private final Simulation sim;
  private final List<Integer> honest = new ArrayList<>();
  private final List<Integer> sybils = new ArrayList<>();
  /** The honest node whose items {@link Attack#CENSOR} drops: the first honest node. */
  private int censored = -1;

  private AttackScenario(AttackSpec spec) {
    this.spec = spec;
    this.sim = new Simulation(spec.sim(), BroadcastSetup.of(spec.broadcast()));
  }

  public static AttackReport run(AttackSpec spec) {
    AttackRun attacked = new AttackScenario(spec).run();
    AttackRun baseline = new AttackScenario(spec.withoutSybils()).run();
    return new AttackReport(spec, attacked, baseline);
  }

  /** One run: its figures, and the simulation for tests that look closer. */
  static AttackRun runOnce(AttackSpec spec) {
    return new AttackScenario(spec).run();
  }

  private AttackRun run() {
    SplittableRandom random = sim.random();
    long wallStart = System.nanoTime();
    switch (spec.timing()) {
      case SETTLED, FLASH -> {
        joinAll(random, nodes(spec.honest(), true));
        sim.runFor(spec.settleMillis());
        joinAll(random, nodes(spec.sybils(), false));
        sim.runFor(spec.settleMillis());
      }
      case COLD_BOOT -> {
        joinAll(random, nodes(spec.sybils(), false));
        sim.startAttack();
        joinAll(random, nodes(spec.honest(), true));
        sim.runFor(spec.settleMillis());
      }
      case DAWN -> {
        List<Boolean> order = new ArrayList<>(nodes(spec.honest(), true));
        order.addAll(nodes(spec.sybils(), false));
        shuffle(order, random);
        int firstHonest = order.indexOf(Boolean.TRUE); // an honest node starts the network
        order.set(firstHonest, order.getFirst());
        order.set(0, Boolean.TRUE);
        sim.startAttack(); // no sybil yet: each starts misbehaving as it is added
        joinAll(random, order);
        sim.runFor(spec.settleMillis());
      }
    }
    sim.runUntilQuiet(QUIET_LIMIT_MILLIS);

    List<OverlayProbe> probes = new ArrayList<>();
    long flashAt = -1;
    int firstMeasured = 0;
    if (spec.timing() == AttackSpec.Timing.FLASH) {
      firstMeasured = broadcastFor(random, spec.flashAfterMillis(), probes);
      flashAt = sim.now();
    }
    if (spec.timing() != AttackSpec.Timing.COLD_BOOT && spec.timing() != AttackSpec.Timing.DAWN) {
      sim.startAttack();
    }
    long attackStart = sim.now();
    long[] before = honestCounters();
    long controlBytesBefore = sim.honestControlBytes();
    broadcastItems(random, spec.items(), probes);
    sim.runFor(spec.drainMillis());
    probes.add(probe());
    long[] after = honestCounters();

    ProtocolFigures figures = ProtocolFigures.measure("plumtree", sim, firstMeasured, Integer.MAX_VALUE);
    ProtocolFigures.Summary attackItems = figures.formed();
    return new AttackRun(
        spec.sybils(),
        attackItems,
        List.copyOf(probes),
        (after[0] - before[0]),
        (after[1] - before[1]),
        (after[2] - before[2]),
        (after[3] - before[3]),
        sim.honestControlBytes() - controlBytesBefore,
        sim.honestPenalties(),
        sim.sybilPenalties(),
        sim.sybilBans(),
        recoveryMillis(figures, firstMeasured, flashAt),
        sim.now() - attackStart,
        (System.nanoTime() - wallStart) / 1_000_000,
        honest.size(),
        victimMissed(firstMeasured),
        sim.sybilMessageRate());
  }

  // ------------------------------------------------------------ population

  /** {@code n} nodes of one kind for {@link #joinAll}: true for honest ones. */
  private static List<Boolean> nodes(int n, boolean honest) {
    return new ArrayList<>(java.util.Collections.nCopies(n, honest));
  }

  /**
   * Adds a node of each kind in {@code kinds} (true: honest), one every join interval, each
   * joining through a random node already there (the first of all starts the network).
   */
  private void joinAll(SplittableRandom random, List<Boolean> kinds) {
    for (boolean isHonest : kinds) {
      long at = sim.now() + (sim.size() == 0 ? 0 : spec.joinIntervalMillis());
      sim.runUntil(at);
      int node = isHonest ? sim.addNode() : sim.addSybil(spec.attack(), sybilHost(sybils.size()));
      (isHonest ? honest : sybils).add(node);
      if (isHonest && censored < 0) {
        censored = node;
        sim.censor(node);
      }
      if (node > 0) {
        sim.join(node, MembershipScenario.randomLiveNode(sim, random, node));
      }
    }
  }

  /** The real address sybil number {@code k}'s links come from, or null for its advertised one. */
  private String sybilHost(int k) {
    return spec.sybilHosts() == 0 ? null : "66.6." + (k % spec.sybilHosts() % 256) + "." + (1 + k % spec.sybilHosts() / 256);
  }

  private static <T> void shuffle(List<T> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  // ------------------------------------------------------------ items and probes

  /** Broadcasts items for {@code millis}; returns how many. */
  private int broadcastFor(SplittableRandom random, long millis, List<OverlayProbe> probes) {
    return broadcastItems(random, (int) Math.max(1, millis / spec.itemIntervalMillis()), probes);
  }

  private int broadcastItems(SplittableRandom random, int count, List<OverlayProbe> probes) {
    long nextItemAt = sim.now();
    long nextProbeAt = sim.now();
    for (int k = 0; k < count; k++) {
      while (nextProbeAt <= nextItemAt) {
        sim.runUntil(nextProbeAt);
        probes.add(probe());
        nextProbeAt += spec.probeMillis();
      }
      sim.runUntil(nextItemAt);
      sim.broadcast(origin(random, k), Simulation.ITEM_DATA_TYPE, BroadcastScenario.data(sim.broadcastLog().items().size()));
      nextItemAt = sim.now() + spec.itemIntervalMillis();
    }
    return count;
  }

  /** A random live honest node; for the censor attack every other item comes from its target. */
  private int origin(SplittableRandom random, int k) {
    if (spec.attack() == Attack.CENSOR && spec.sybils() > 0 && k % 2 == 0 && sim.isAlive(censored)) {
      return censored;
    }
    while (true) {
      int node = honest.get(random.nextInt(honest.size()));
      if (sim.isAlive(node)) {
        return node;
      }
    }
  }

  private OverlayProbe probe() {
    OverlayMetrics overlay = OverlayMetrics.measureHonest(sim);
    long slots = 0;
    long sybilSlots = 0;
    long entries = 0;
    long sybilEntries = 0;
    for (int node : honest) {
      if (!sim.isAlive(node)) {
        continue;
      }
      for (int peer : sim.neighbors(node)) {
        slots++;
        sybilSlots += sim.isHonest(peer) ? 0 : 1;
      }
      for (int peer : sim.passivePeers(node)) {
        entries++;
        sybilEntries += peer >= 0 && sim.isHonest(peer) ? 0 : 1;
      }
    }
    int victimHonest = 0;
    for (int peer : sim.neighbors(censored)) {
      victimHonest += sim.isHonest(peer) && sim.isNeighbor(peer, censored) ? 1 : 0;
    }
    return new OverlayProbe(sim.now(), overlay.largestComponent(), overlay.alive(),
        slots == 0 ? 0 : (double) sybilSlots / slots, entries == 0 ? 0 : (double) sybilEntries / entries,
        victimHonest);
  }

  /** Broadcast counters summed over the honest nodes: IHAVE, IHAVE ids, GRAFT, PRUNE sent. */
  private long[] honestCounters() {
    return new long[] {
      sim.honestBroadcastCount(BroadcastCounter.IHAVE_SENT),
      sim.honestBroadcastCount(BroadcastCounter.IHAVE_IDS_SENT),
      sim.honestBroadcastCount(BroadcastCounter.GRAFT_SENT),
      sim.honestBroadcastCount(BroadcastCounter.PRUNE_SENT)
    };
  }

  /**
   * For a covert flash: virtual ms from the flash to the announcement of the first item from which
   * on every item reached at least 99.9 % of the honest nodes; -1 without a flash, or if delivery
   * never came back.
   */
  private long recoveryMillis(ProtocolFigures figures, int flashItem, long flashAt) {
    if (flashAt < 0) {
      return -1;
    }
    List<ItemFigures> items = figures.items();
    int firstGood = items.size();
    for (int i = items.size() - 1; i >= flashItem && items.get(i).reliability() >= 0.999; i--) {
      firstGood = i;
    }
    if (firstGood == items.size()) {
      return -1;
    }
    return Math.max(0, sim.broadcastLog().items().get(firstGood).sentAt - flashAt);
  }

  /** Measured items the victim (the first honest node) never had. */
  private int victimMissed(int firstMeasured) {
    List<ItemTrace> items = sim.broadcastLog().items();
    int missed = 0;
    for (int i = firstMeasured; i < items.size(); i++) {
      missed += items.get(i).delivered.get(censored) ? 0 : 1;
    }
    return missed;
  }

  /** The honest overlay at one instant during the attack. */
  public record OverlayProbe(
      long atMillis,
      int largestHonestComponent,
      int honestAlive,
      double sybilSlotShare,
      double sybilPassiveShare,
      int victimHonestNeighbors) {
    public double connectivity() {
      return honestAlive == 0 ? 1 : (double) largestHonestComponent / honestAlive;
    }
  }
}
