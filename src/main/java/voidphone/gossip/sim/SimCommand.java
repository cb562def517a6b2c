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
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * {@code gossip sim}: runs a membership experiment in the simulator and prints what it measured.
 * Also runnable on its own ({@link #main}) until the launcher registers it.
 */
@Command(
    name = "sim",
    mixinStandardHelpOptions = true,
    description = {
      "Simulates a HyParView overlay in virtual time: nodes join one after another, the overlay",
      "settles, a share of the nodes crashes at once, the survivors heal. Prints join times,",
      "view sizes, connectivity and heal times. The same seed gives the same numbers."
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

  @Option(names = "--crash", defaultValue = "0.5", description = "share of nodes that crash at once after settling, 0 for none (default ${DEFAULT-VALUE})")
  double crash;

  @Option(names = "--loss", defaultValue = "0", description = "chance a message is lost, breaking its link (default ${DEFAULT-VALUE})")
  double loss;

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

  public static void main(String[] args) {
    System.exit(new CommandLine(new SimCommand()).execute(args));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    ScenarioSpec scenario;
    try {
      scenario = scenario();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    long start = System.nanoTime();
    ScenarioReport[] report = new ScenarioReport[1];
    Simulation sim = MembershipScenario.runAndKeep(scenario, report);
    long wallMillis = (System.nanoTime() - start) / 1_000_000;
    report[0].lines().forEach(out::println);
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
    SimConfig sim = SimConfig.defaults(seed, membership)
        .withLatency(min, max)
        .withLoss(loss)
        .withFailureDetection(detection);
    return new ScenarioSpec(sim, nodes, joinInterval, settle, crash, healLimit, probe);
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
