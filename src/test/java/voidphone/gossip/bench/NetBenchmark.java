package voidphone.gossip.bench;

import io.netty.channel.epoll.Epoll;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.Announcement;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.node.NodeOptions;

/**
 * {@code ./bench net}: real nodes on loopback in one JVM (TLS links, HyParView, Plumtree), one
 * validating module per node on the real API. Items are announced at random nodes; for each the
 * benchmark measures the time from the ANNOUNCE until the last of the n modules holds it, and from
 * the nodes' counters the payload messages sent per item. The flooding baseline runs in the same
 * process on a fresh network of the same size. Not a test: it asserts nothing, it reports. The nodes
 * of each network share one event loop per core (at least two), as in {@code gossip testnet}.
 *
 * <p>Options: {@code --nodes N} (default 50), {@code --degree N} (default 30, the config default),
 * {@code --items N} (measured, default 1,000), {@code --warmup N} (items before measuring, default
 * 200), {@code --size N} (data bytes, default 100), {@code --rate N} (items/s; 0, the default,
 * announces each item once the previous one reached every module), {@code --seed N} (which node
 * announces which item), {@code --mode both|plumtree|flood}, {@code --ihave-ms N} (Plumtree's IHAVE
 * batching interval, default 150), {@code --ihave-percent P[,P...]} (share of the lazy peers each
 * IHAVE batch goes to, default 25; several values run Plumtree once per value, in one process, so
 * that they compare in the same conditions), {@code --cache-size N} ({@code cache_size}, default 50,
 * the config default: it sets the item rate the admission allows, 50 per 250 ms).
 */
public final class NetBenchmark {
  /** Issue 14's bounds at degree 30: the time until every module has an item, redundancy, CPU. */
  private static final int TARGET_P99_MILLIS = 12;
  private static final double TARGET_RMR = 0.1;
  private static final int TARGET_CPU_MILLIS_PER_ITEM = 5;

  private record Options(
      int nodes, int degree, int items, int warmup, int size, int rate, long seed, String mode, long ihaveMillis,
      List<Integer> ihavePercents, int cacheSize) {
    static Options parse(String[] args) {
      int nodes = 50, degree = 30, items = 1_000, warmup = 200, size = 100, rate = 0;
      int cacheSize = GossipConfig.DEFAULT_CACHE_SIZE;
      long ihaveMillis = BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS;
      long seed = 1;
      String mode = "both";
      List<Integer> ihavePercents = List.of(BroadcastConfig.DEFAULT_IHAVE_FANOUT_PERCENT);
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
        String v = args[i + 1];
        switch (args[i]) {
          case "--nodes" -> nodes = Integer.parseInt(v);
          case "--degree" -> degree = Integer.parseInt(v);
          case "--items" -> items = Integer.parseInt(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          case "--size" -> size = Integer.parseInt(v);
          case "--rate" -> rate = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--cache-size" -> cacheSize = Integer.parseInt(v);
          case "--mode" -> mode = v;
          case "--ihave-ms" -> ihaveMillis = Long.parseLong(v);
          case "--ihave-percent" ->
              ihavePercents = Arrays.stream(v.split(",")).map(String::trim).map(Integer::valueOf).toList();
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (nodes < 2 || degree < 1 || items < 1 || warmup < 0 || size < 4 || rate < 0 || ihaveMillis < 1
          || ihavePercents.stream().anyMatch(p -> p < 1 || p > 100) || cacheSize < 1
          || cacheSize > BroadcastConfig.MAX_CACHE_SIZE) {
        throw new IllegalArgumentException("need nodes >= 2, degree >= 1, items >= 1, warmup >= 0, size >= 4,"
            + " rate >= 0, ihave-ms >= 1, ihave-percent 1..100, cache-size 1.." + BroadcastConfig.MAX_CACHE_SIZE);
      }
      if (!Set.of("both", "plumtree", "flood").contains(mode)) {
        throw new IllegalArgumentException("mode is both, plumtree or flood");
      }
      return new Options(nodes, degree, items, warmup, size, rate, seed, mode, ihaveMillis, ihavePercents, cacheSize);
    }
  }

  /** What one protocol's run measured. */
  private record Result(
      String name, Histogram allReached, Histogram eachDelivery, int lost, Map<BroadcastCounter, Long> counters,
      String views, long wallNanos, long cpuNanos) {}

  private NetBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench net: " + e.getMessage()
          + "; options: --nodes N --degree N --items N --warmup N --size N --rate N --seed N"
          + " --mode both|plumtree|flood --ihave-ms N --ihave-percent P[,P...] --cache-size N");
      System.exit(2);
      return;
    }
    System.out.printf("Network benchmark: %d nodes on loopback sharing %d loop threads, TLS links, degree %d, "
        + "proof of work off, one validating module per node%n", o.nodes(), BenchNetwork.loopThreads(), o.degree());
    System.out.printf("machine: %d cores, %s, JDK %s (%s), transport %s, heap %d MiB, GC %s, date %s%n",
        Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), System.getProperty("java.version"),
        System.getProperty("java.vendor"), Epoll.isAvailable() ? "epoll" : "nio",
        Runtime.getRuntime().maxMemory() >> 20, Machine.collectors(), LocalDate.now());
    System.out.printf("load average at start: %s; Plumtree IHAVE flush every %d ms, to %s %% of the lazy peers%n",
        Machine.loadAverage(), o.ihaveMillis(), o.ihavePercents());
    System.out.printf("%d measured items of %d bytes after %d warm-up items, from random nodes (seed %d), %s%n%n",
        o.items(), o.size(), o.warmup(), o.seed(),
        o.rate() == 0 ? "one after another" : o.rate() + " items/s");

    List<Result> results = new ArrayList<>();
    if (!o.mode().equals("flood")) {
      for (int percent : o.ihavePercents()) {
        String name = o.ihavePercents().size() == 1 ? "plumtree" : "plumtree " + percent + "%";
        results.add(run(name, NodeOptions.production().withBroadcast(c -> c.withIHaveBatching(
                o.ihaveMillis(), c.ihaveMaxIds(), c.ihaveMaxMessagesPerFlush(), c.lazyQueueMaxIds())
            .withIHaveFanout(c.ihaveFanoutMin(), percent)), o));
      }
    }
    if (!o.mode().equals("plumtree")) {
      results.add(run("flood", NodeOptions.production().withBroadcast(c -> c.withFlood(true)), o));
    }

    int frame = payloadFrameBytes(o.size());
    System.out.printf("%nlatency, ms: from ANNOUNCE until the last of the %d modules has the item (all), "
        + "and until one module has it (each)%n", o.nodes());
    System.out.printf("%-13s %9s %9s %9s %9s %9s %6s %13s %12s%n", "", "all p50", "all p99", "all max", "each p50",
        "each p99", "lost", "wall ms/item", "CPU ms/item");
    for (Result r : results) {
      System.out.printf("%-13s %9.2f %9.2f %9.2f %9.2f %9.2f %6d %13.2f %12.2f%n", r.name(), ms(r.allReached(), 50),
          ms(r.allReached(), 99), r.allReached().getMaxValue() / 1e6, ms(r.eachDelivery(), 50),
          ms(r.eachDelivery(), 99), r.lost(), r.wallNanos() / 1e6 / o.items(), r.cpuNanos() / 1e6 / o.items());
    }
    System.out.println("(CPU: this process's, all threads: nodes, TLS, modules; wall: the measured phase / items)");
    System.out.printf("%ntraffic per item: payload (GOSSIP) messages sent by all nodes, payload bytes sent per node "
        + "(x %d-byte frames), RMR = payload/(n-1) - 1, control messages%n", frame);
    System.out.printf("%-13s %9s %11s %7s %9s %9s %9s %11s %13s%n",
        "", "payload", "bytes/node", "RMR", "IHAVE", "GRAFT", "PRUNE", "duplicates", "control B/node");
    for (Result r : results) {
      Map<BroadcastCounter, Long> c = r.counters();
      double payload = perItem(c, BroadcastCounter.PAYLOAD_SENT, o);
      System.out.printf("%-13s %9.1f %11.1f %7.3f %9.1f %9.3f %9.3f %11.1f %13.1f%n", r.name(), payload,
          payload * frame / o.nodes(), rmr(c, o), perItem(c, BroadcastCounter.IHAVE_SENT, o),
          perItem(c, BroadcastCounter.GRAFT_SENT, o), perItem(c, BroadcastCounter.PRUNE_SENT, o),
          perItem(c, BroadcastCounter.DUPLICATES_RECEIVED, o), controlBytes(c) / o.items() / o.nodes());
    }
    System.out.printf("%npayload frame: %d bytes (4 length + 1 channel + GOSSIP header + %d data), before TLS; "
        + "control bytes: IHAVE, GRAFT and PRUNE frames, also before TLS%n", frame, o.size());
    for (Result r : results) System.out.printf("%s overlay: %s; counters: %s%n", r.name(), r.views(), r.counters());
    for (Result plumtree : results) {
      if (!plumtree.name().startsWith("plumtree")) continue;
      Map<BroadcastCounter, Long> c = plumtree.counters();
      double rmr = rmr(c, o);
      double p99 = ms(plumtree.allReached(), 99);
      double cpu = plumtree.cpuNanos() / 1e6 / o.items();
      double control = controlBytes(c) / o.items() / o.nodes();
      double payloadBytes = perItem(c, BroadcastCounter.PAYLOAD_SENT, o) * frame / o.nodes();
      boolean met = p99 <= TARGET_P99_MILLIS && rmr <= TARGET_RMR && cpu <= TARGET_CPU_MILLIS_PER_ITEM
          && control <= payloadBytes && plumtree.lost() == 0;
      System.out.printf("%s: target p99 <= %d ms, RMR <= %.1f, CPU <= %d ms per item, control bytes <= payload bytes,"
              + " nothing lost: %s (p99 %.2f ms, RMR %.3f, CPU %.2f ms, control %.1f B against payload %.1f B, lost %d)%n",
          plumtree.name(), TARGET_P99_MILLIS, TARGET_RMR, TARGET_CPU_MILLIS_PER_ITEM, met ? "met" : "NOT met", p99, rmr,
          cpu, control, payloadBytes, plumtree.lost());
    }
  }

  private static Result run(String name, NodeOptions options, Options o) throws Exception {
    ItemTracker tracker = new ItemTracker(o.warmup() + o.items(), o.nodes(), o.warmup());
    try (BenchNetwork net = BenchNetwork.start(name, o.nodes(), o.degree(), options, k -> k.cacheSize = o.cacheSize(),
        tracker, System.out)) {
      SplittableRandom random = new SplittableRandom(o.seed());
      ItemLoop.run(tracker, 0, o.warmup(), o.rate(), o.size(), net.size(), random, net::announce);
      Map<BroadcastCounter, Long> before = net.counters();
      long wall = System.nanoTime(), cpu = Machine.processCpuNanos();
      ItemLoop.run(tracker, o.warmup(), o.warmup() + o.items(), o.rate(), o.size(), net.size(), random, net::announce);
      wall = System.nanoTime() - wall;
      cpu = Machine.processCpuNanos() - cpu;
      Map<BroadcastCounter, Long> after = net.counters();
      after.replaceAll((counter, v) -> v - before.getOrDefault(counter, 0L));
      int lost = tracker.lost(o.warmup(), o.warmup() + o.items(), TimeUnit.SECONDS.toNanos(ItemLoop.ITEM_PATIENCE_SECONDS));
      System.out.printf("%s: done, %d of %d items did not reach every module within %d s; load average %s%n",
          name, lost, o.items(), ItemLoop.ITEM_PATIENCE_SECONDS, Machine.loadAverage());
      return new Result(name, tracker.allReached, tracker.eachDelivery, lost, after, net.views(), wall, cpu);
    }
  }

  /** Bytes of one GOSSIP frame on a link before TLS: length, channel, then the encoded message. */
  static int payloadFrameBytes(int dataSize) {
    NodeId origin = new NodeId(1, 2, 3, 4);
    byte[] data = new byte[dataSize];
    int type = BenchNetwork.DATA_TYPE;
    var gossip = new BroadcastMessage.Gossip(ItemId.of(origin, 0, type, data), origin, 0, 0, 1, type, data);
    return 4 + 1 + BroadcastCodec.encodedSize(gossip);
  }

  /**
   * Bytes of the control frames sent, from the counters: each IHAVE is a frame header, kind and
   * count plus its announcements; a GRAFT sent on a timer carries one id; a PRUNE is one byte.
   */
  static double controlBytes(Map<BroadcastCounter, Long> c) {
    int header = 4 + 1;
    return c.get(BroadcastCounter.IHAVE_SENT) * (header + 1 + 2.0)
        + c.get(BroadcastCounter.IHAVE_IDS_SENT) * (double) Announcement.WIRE_BYTES
        + c.get(BroadcastCounter.GRAFT_SENT) * (header + 1 + 2.0 + ItemId.BYTES)
        + c.get(BroadcastCounter.PRUNE_SENT) * (header + 1.0);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1e6;
  }

  /** Relative message redundancy: payload messages per item over the n - 1 a tree needs, less one. */
  private static double rmr(Map<BroadcastCounter, Long> c, Options o) {
    return perItem(c, BroadcastCounter.PAYLOAD_SENT, o) / (o.nodes() - 1) - 1;
  }

  private static double perItem(Map<BroadcastCounter, Long> c, BroadcastCounter counter, Options o) {
    return (double) c.get(counter) / o.items();
  }
}
