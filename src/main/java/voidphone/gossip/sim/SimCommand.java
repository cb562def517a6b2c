package voidphone.gossip.sim;

import java.io.PrintWriter;
import java.lang.ref.Reference;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * {@code gossip sim}: runs a membership experiment, or with {@code --items} a broadcast experiment,
 * in the simulator and prints what it measured. Also runnable on its own ({@link #main}) until the
 * launcher registers it.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a HyParView overlay in virtual time: nodes join one after another, the overlay "
          + "settles, a share of the nodes crashes at once, the survivors heal. Prints join times, "
          + "view sizes, connectivity and heal times. The same seed gives the same numbers.",
      "",
      "With --items N: a broadcast experiment instead. After settling (and an optional crash), "
          + "N items are broadcast from random live nodes over Plumtree and, in the same run, over "
          + "flooding. Prints reliability, RMR, last delivery hop and latency next to their bounds.",
      "",
      "With --partition-ms N: a partition experiment instead. After settling, the overlay runs "
          + "quietly for --steady-ms (its membership messages, merge probes and dials are counted), "
          + "then even and odd nodes are cut apart for N ms and healed. Prints how long the overlay "
          + "took to be one component again, and how far an item announced at the heal and one "
          + "announced after the merge spread.",
      "",
      "With --attack NAME: an attack scenario instead. --sybils sybils (production cores whose "
          + "sends pass through the attack) join the --nodes honest nodes as --timing says; then "
          + "--items honest items are broadcast from random honest nodes. Prints honest reliability "
          + "and latency, the largest honest component, the sybils' share of the honest views, "
          + "control traffic and penalties, beside the same seed without attackers."
    })
public final class SimCommand implements Callable<Integer> {
  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--nodes", defaultValue = "1000", description = "nodes that join (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--degree", defaultValue = "30", description = "active view size (default ${DEFAULT-VALUE})")
  int degree;

  @Option(names = "--passive", description = "passive view size (default 6 x degree)")
  Integer passive;

  @Option(names = "--shuffle-passive", description = "passive entries per shuffle, kp (default 4)")
  Integer shufflePassive;

  @Option(names = "--seed", defaultValue = "1", description = "seed of every random choice (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--crash", description = "share of nodes that crash at once, 0 for none (default 0.5; with --items: 0)")
  Double crash;

  @Option(names = "--loss", defaultValue = "0", description = "chance a message is lost, breaking its link (default ${DEFAULT-VALUE})")
  double loss;

  @Option(names = "--stalls", defaultValue = "0:0:1", description = "SHARE:PAUSE_MS:PERIOD_MS: that share of the honest nodes handles nothing for PAUSE_MS of every PERIOD_MS, as a node on an overloaded host would (default none)")
  String stalls;

  @Option(names = "--latency-ms", defaultValue = "10-100", description = "one-way latency range of a pair of nodes, MIN-MAX (default ${DEFAULT-VALUE})")
  String latency;

  @Option(names = "--detection-ms", defaultValue = "2000", description = "delay before a crash or broken link is noticed (default ${DEFAULT-VALUE})")
  int detection;

  @Option(names = "--join-interval-ms", defaultValue = "10", description = "virtual time between two joins (default ${DEFAULT-VALUE})")
  long joinInterval;

  @Option(names = "--duration", defaultValue = "30000", description = "virtual ms the overlay settles after the last join (default ${DEFAULT-VALUE})")
  long settle;

  @Option(names = "--heal-limit-ms", defaultValue = "120000", description = "longest virtual time to watch healing (default ${DEFAULT-VALUE})")
  long healLimit;

  @Option(names = "--probe-ms", defaultValue = "250", description = "how often healing is measured (default ${DEFAULT-VALUE})")
  long probe;

  // ---- broadcast experiment

  @Option(names = "--items", defaultValue = "0", description = "broadcast this many items (1.." + BroadcastSpec.Items.MAX_ITEMS + "); 0 runs the membership experiment (default ${DEFAULT-VALUE})")
  int items;

  @Option(names = "--item-interval-ms", defaultValue = "1000", description = "virtual time between two items (default ${DEFAULT-VALUE})")
  long itemInterval;

  @Option(names = "--warm-up-items", description = "first items left out of the figures 'once the tree has formed' (default 10, at most half the items)")
  Integer warmUp;

  @Option(names = "--crash-after-items", defaultValue = "0", description = "with --items: crash right after this many items were announced; 0 crashes before the first (default ${DEFAULT-VALUE})")
  int crashAfter;

  @Option(names = "--heal-ms", defaultValue = "0", description = "with --items: virtual ms between the crash and the next item, at least the item interval (default ${DEFAULT-VALUE})")
  long healMillis;

  @Option(names = "--overlay", defaultValue = "joins", description = "'joins' (the real protocol, one join per --join-interval-ms) or 'random' (a random graph laid out at once, for large runs) (default ${DEFAULT-VALUE})")
  String overlay;

  @Option(names = "--compare-flood", negatable = true, defaultValue = "true", fallbackValue = "true", description = "also run the flooding baseline on the same overlay and items (default ${DEFAULT-VALUE})")
  boolean compareFlood;

  @Option(names = "--graft-timeout-ms", description = "Plumtree: least wait before GRAFTing an item announced by IHAVE; the wait is learned above it (default " + BroadcastConfig.DEFAULT_GRAFT_TIMEOUT_MILLIS + ")")
  Long graftTimeout;

  @Option(names = "--graft-timeout-max-ms", description = "Plumtree: most the learned GRAFT wait grows to; equal to --graft-timeout-ms for a fixed wait (default " + BroadcastConfig.DEFAULT_GRAFT_TIMEOUT_MAX_MILLIS + ")")
  Long graftTimeoutMax;

  @Option(names = "--graft-retry-ms", description = "Plumtree: wait before asking the next announcer (default " + BroadcastConfig.DEFAULT_GRAFT_RETRY_MILLIS + ")")
  Long graftRetry;

  @Option(names = "--prune-after", description = "Plumtree: duplicates in a row before a link is pruned (default " + BroadcastConfig.DEFAULT_PRUNE_AFTER_DUPLICATES + ")")
  Integer pruneAfter;

  @Option(names = "--shortcut-hops", description = "Plumtree: the tree optimisation's hop threshold, 0 for off (default " + BroadcastConfig.DEFAULT_OPTIMIZATION_THRESHOLD + ")")
  Integer shortcutHops;

  @Option(names = "--ihave-ms", description = "Plumtree: how long announcements wait to be batched into one IHAVE (default " + BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS + ")")
  Long ihaveFlush;

  @Option(names = "--ihave-percent", description = "Plumtree: share of the lazy peers each batch of IHAVEs goes to, at least 6 of them; 100 tells every lazy peer, as in the paper (default " + BroadcastConfig.DEFAULT_IHAVE_FANOUT_PERCENT + ")")
  Integer ihavePercent;

  @Option(names = "--prune-window-ms", description = "Plumtree: when items come faster than one per this window, only about one per window may prune; 0 lets every item prune (default " + BroadcastConfig.DEFAULT_PRUNE_SAMPLE_WINDOW_MILLIS + ")")
  Long pruneWindow;

  @Option(names = "--validation-ms", defaultValue = "0", description = "virtual ms each node's subscriber takes to answer VALID (default ${DEFAULT-VALUE})")
  long validation;

  @Option(names = "--drain-ms", defaultValue = "10000", description = "virtual ms watched after the last item (default ${DEFAULT-VALUE})")
  long drain;

  @Option(names = "--per-item", description = "also print one line per item, naming up to 10 nodes that missed it")
  boolean perItem;

  @Option(names = "--partition-ms", defaultValue = "0", description = "run the partition experiment: cut the network into halves for this many virtual ms, then heal it; 0 runs no partition (default ${DEFAULT-VALUE})")
  long partition;

  @Option(names = "--steady-ms", defaultValue = "600000", description = "with --partition-ms: virtual ms of quiet overlay whose membership cost is counted (default ${DEFAULT-VALUE})")
  long steady;

  @Option(names = "--merge-probes", negatable = true, defaultValue = "true", fallbackValue = "true", description = "membership: merge probes on, or off for the baseline without them (--no-merge-probes) (default ${DEFAULT-VALUE})")
  boolean mergeProbes;

  @Option(names = "--attack", description = "run an attack scenario: sybils among --nodes honest nodes do ATTACK: mute, degrade, censor, ihave-liar, ihave-flood, graft-flood, invalid-flood, forged-ids, eclipse-one or eclipse-all")
  String attack;

  @Option(names = "--sybils", description = "with --attack: sybil identities (default a quarter of --nodes, so 20 %% of all)")
  Integer sybils;

  @Option(names = "--timing", defaultValue = "settled", description = "with --attack: 'settled' (sybils join a formed overlay and attack), 'cold-boot' (honest nodes boot into a sybil network), 'dawn' (all join together, sybils attacking from the start) or 'flash' (sybils behave for --flash-after-ms, then all turn at once) (default ${DEFAULT-VALUE})")
  String timing;

  @Option(names = "--sybil-hosts", defaultValue = "0", description = "with --attack: real addresses the sybils' links come from, shared in turn, while each sybil advertises an address of its own; 0: each its own (default ${DEFAULT-VALUE})")
  int sybilHosts;

  @Option(names = "--flash-after-ms", defaultValue = "60000", description = "with --timing flash: virtual ms the sybils behave, items flowing, before they turn (default ${DEFAULT-VALUE})")
  long flashAfter;

  @Option(names = "--progress-ms", defaultValue = "10000", description = "wall-clock ms between two progress lines on stderr; 0 for none (default ${DEFAULT-VALUE})")
  long progressMillis;

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimCommand()).execute(args));
  }

  @Override
  public Integer call() {
    quietNodeLogs();
    PrintWriter out = spec.commandLine().getOut();
    ScenarioSpec scenario;
    BroadcastSpec broadcast;
    try {
      scenario = scenario();
      broadcast = items != 0 ? broadcastScenario() : null;
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (progressMillis < 0) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--progress-ms " + progressMillis + " is negative");
    }
    PrintWriter err = spec.commandLine().getErr();
    err.println(settings());
    err.flush();
    long start = System.nanoTime();
    Simulation sim = null;
    SimProgress progress = SimProgress.every(err, progressMillis);
    // the figures are printed once the progress has ended: on a terminal its status line must be
    // finished first
    StringBuilder figures = new StringBuilder();
    try {
      if (attack != null) {
        AttackReport report;
        try {
          report = AttackScenario.run(attackScenario(scenario));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        figures.append(report.format());
      } else if (partition > 0) {
        PartitionScenario.Report report;
        try {
          report = PartitionScenario.run(new PartitionScenario.Spec(scenario.sim(), nodes,
              joinInterval, settle, steady, partition, healLimit, drain));
        } catch (IllegalArgumentException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        report.lines().forEach(l -> figures.append(l).append('\n'));
      } else if (broadcast == null) {
        ScenarioReport[] report = new ScenarioReport[1];
        sim = MembershipScenario.runAndKeep(scenario, report);
        report[0].lines().forEach(l -> figures.append(l).append('\n'));
      } else { // --items: the broadcast experiment
        BroadcastReport[] report = new BroadcastReport[1];
        sim = BroadcastScenario.runAndKeep(broadcast, report);
        report[0].lines().forEach(l -> figures.append(l).append('\n'));
        if (perItem) {
          report[0].itemLines().forEach(l -> figures.append(l).append('\n'));
        }
      }
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
    out.print(figures);
    long wallMillis = (System.nanoTime() - start) / 1_000_000;
    long peak = peakHeapBytes();
    // what the simulation really holds, garbage aside: collect while it is still reachable
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    Reference.reachabilityFence(sim);
    out.println(String.format(Locale.ROOT,
        "wall time %.1f s, peak heap %d MiB, live heap at the end %d MiB",
        wallMillis / 1000.0, peak >> 20, live >> 20));
    out.flush();
    return 0;
  }

  /**
   * One line on stderr before the run, which can take minutes: which experiment, its size, and the
   * options given, so a slow start is not mistaken for a hang and the run can be repeated.
   */
  private String settings() {
    String kind = attack != null ? "attack experiment (" + attack + ")"
        : partition > 0 ? "partition experiment"
        : items != 0 ? "broadcast experiment, " + items + " items"
        : "membership experiment";
    StringBuilder given = new StringBuilder();
    for (String arg : spec.commandLine().getParseResult().originalArgs()) {
      given.append(given.isEmpty() ? "" : " ").append(arg);
    }
    return String.format(Locale.ROOT, "sim: %s, %d nodes, degree %d, seed %d; options: %s",
        kind, nodes, degree, seed, given.isEmpty() ? "(defaults)" : given);
  }

  ScenarioSpec scenario() {
    String[] range = latency.split("-", 2);
    int min;
    int max;
    try {
      min = Integer.parseInt(range[0].trim());
      max = range.length == 2 ? Integer.parseInt(range[1].trim()) : min;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--latency-ms takes MIN-MAX in milliseconds, got '" + latency + "'");
    }
    MembershipConfig membership = MembershipConfig.withDegree(degree);
    if (passive != null) {
      membership = membership.withPassiveCapacity(passive);
    }
    if (shufflePassive != null) {
      membership = membership.withShuffleCounts(membership.shuffleActiveCount(), shufflePassive);
    }
    if (!mergeProbes) {
      membership = membership.withoutMergeProbes();
    }
    SimConfig sim = SimConfig.defaults(seed, membership)
        .withLatency(min, max)
        .withLoss(loss)
        .withFailureDetection(detection)
        .withStalls(Stalls.parse(stalls));
    return new ScenarioSpec(sim, nodes, joinInterval, settle, crash == null ? 0.5 : crash,
        healLimit, probe);
  }

  AttackSpec attackScenario(ScenarioSpec scenario) {
    Attack what;
    try {
      what = Attack.fromCliName(attack);
    } catch (IllegalArgumentException e) {
      StringBuilder names = new StringBuilder();
      for (Attack a : Attack.values()) {
        names.append(names.isEmpty() ? "" : ", ").append(a.cliName());
      }
      throw new IllegalArgumentException("--attack takes one of " + names + ", got '" + attack + "'");
    }
    AttackSpec.Timing when = switch (timing) {
      case "settled" -> AttackSpec.Timing.SETTLED;
      case "cold-boot" -> AttackSpec.Timing.COLD_BOOT;
      case "dawn" -> AttackSpec.Timing.DAWN;
      case "flash" -> AttackSpec.Timing.FLASH;
      default -> throw new IllegalArgumentException(
          "--timing takes settled, cold-boot, dawn or flash, got '" + timing + "'");
    };
    return new AttackSpec(scenario.sim(), broadcastConfig(), nodes, sybils != null ? sybils : nodes / 4, what,
        when, joinInterval, settle, flashAfter, items != 0 ? items : 100, itemInterval, drain, Math.max(probe, 1000),
        sybilHosts);
  }

  BroadcastSpec broadcastScenario() {
    SimConfig sim = scenario().sim();
    BroadcastSpec.Overlay how = switch (overlay) {
      case "joins" -> BroadcastSpec.Overlay.JOINS;
      case "random" -> BroadcastSpec.Overlay.RANDOM;
      default -> throw new IllegalArgumentException("--overlay takes 'joins' or 'random', got '" + overlay + "'");
    };
    int warm = warmUp != null ? warmUp : Math.min(10, items / 2);
    return BroadcastSpec.of(sim, nodes)
        .withOverlay(how, joinInterval, settle)
        .withCrash(new BroadcastSpec.Crash(crash == null ? 0 : crash, crashAfter, healMillis))
        .withItems(new BroadcastSpec.Items(items, itemInterval, warm, drain, validation))
        .withBroadcast(broadcastConfig())
        .withCompareFlood(compareFlood);
  }

  /** The defaults with the Plumtree options given. */
  private BroadcastConfig broadcastConfig() {
    BroadcastConfig config = BroadcastConfig.defaults();
    long least = graftTimeout != null ? graftTimeout : config.graftTimeoutMillis();
    long most = graftTimeoutMax != null ? graftTimeoutMax : Math.max(least, config.graftTimeoutMaxMillis());
    config = config.withGraftTimers(
        least, most, graftRetry != null ? graftRetry : config.graftRetryMillis());
    if (pruneAfter != null) {
      config = config.withPruneAfterDuplicates(pruneAfter);
    }
    if (pruneWindow != null) {
      config = config.withPruneSampleWindow(pruneWindow);
    }
    if (shortcutHops != null) {
      config = config.withOptimizationThreshold(shortcutHops);
    }
    if (ihaveFlush != null) {
      config = config.withIHaveBatching(ihaveFlush, config.ihaveMaxIds(),
          config.ihaveMaxMessagesPerFlush(), config.lazyQueueMaxIds());
    }
    if (ihavePercent != null) {
      config = config.withIHaveFanout(config.ihaveFanoutMin(), ihavePercent);
    }
    return config;
  }

  /**
   * Every simulated node runs the production core, which tells an operator when it bootstraps, when
   * a bootstrapper is unreachable and when it bans a peer: thousands of such lines would bury the
   * figures, which count what matters (bans, penalties, reach). Only errors show.
   */
  private void quietNodeLogs() {
    if (org.slf4j.LoggerFactory.getLogger("peers") instanceof ch.qos.logback.classic.Logger peers) {
      peers.setLevel(ch.qos.logback.classic.Level.ERROR);
    }
  }

  /** Peak use of the heap pools since start: a stand-in for peak memory that needs no tool. */
  static long peakHeapBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
