package voidphone.gossip.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;
import voidphone.gossip.node.TestModule;

/**
 * {@code ./bench soak}: the network of {@code ./bench net} ({@link BenchNetwork}: real nodes on
 * loopback in one JVM, TLS links, HyParView, Plumtree, one validating module per node on the real
 * API) under a constant open-loop load for minutes: items from random nodes at a fixed rate, each
 * carrying its sequence number, tracked until every module has it. Once a report interval it prints
 * the items announced, delivered and lost so far, the heap after a full GC, the deepest queues the
 * nodes report ({@link GossipNode#queues()}), CPU and load; at the end lost items, heap and queues
 * at the start against the end, latency over the run, CPU per item and a verdict. Not a test: it
 * asserts nothing, it reports.
 *
 * <p>The payload cache is sized as an operator sizes it for the rate ({@code cache_size}, {@link
 * #cacheSizeFor}), unless {@code --cache-size} says otherwise.
 *
 * <p>Options: {@code --nodes N} (default 50), {@code --rate N} (items/s, default 1,000), {@code
 * --minutes M} (measured time, default 10; fractions allowed), {@code --size N} (data bytes,
 * default 100), {@code --degree N} (default 30), {@code --seed N} (which node announces which
 * item), {@code --cache-size N} (default: {@link #cacheSizeFor}), {@code --warmup-items N} (items
 * one after another first, each once the previous one reached every module, so that the tree forms
 * before the load: default 200, as {@code ./bench net}), {@code --warmup-seconds N} (then load at
 * the rate before measuring, default 10), {@code --report-seconds N} (default 60).
 */
public final class SoakBenchmark {
  /** How long one item may take to reach every module before it counts as lost. */
  static final long ITEM_PATIENCE_SECONDS = 10;
  /** Items tracked at once: a ring of this many slots, at least the rate times the patience. */
  private static final int MIN_TRACKED = 1 << 16;
  /** Seconds an operator keeps items in the payload cache at the peak rate: see {@link #cacheSizeFor}. */
  static final int CACHE_SECONDS = 2;

  record Options(int nodes, int rate, double minutes, int size, int degree, long seed, int cacheSize,
      int warmupItems, int warmupSeconds, int reportSeconds) {
    static Options parse(String[] args) {
      int nodes = 50, rate = 1_000, size = 100, degree = 30, cacheSize = -1, warmupItems = 200, warmup = 10;
      int report = 60;
      double minutes = 10;
      long seed = 1;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
        String v = args[i + 1];
        switch (args[i]) {
          case "--nodes" -> nodes = Integer.parseInt(v);
          case "--rate" -> rate = Integer.parseInt(v);
          case "--minutes" -> minutes = Double.parseDouble(v);
          case "--size" -> size = Integer.parseInt(v);
          case "--degree" -> degree = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--cache-size" -> cacheSize = Integer.parseInt(v);
          case "--warmup-items" -> warmupItems = Integer.parseInt(v);
          case "--warmup-seconds" -> warmup = Integer.parseInt(v);
          case "--report-seconds" -> report = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      if (cacheSize < 0) cacheSize = cacheSizeFor(rate);
      if (nodes < 2 || rate < 1 || !(minutes > 0) || size < 4 || degree < 1 || cacheSize < 1
          || cacheSize > BroadcastConfig.MAX_CACHE_SIZE || warmupItems < 0 || warmup < 0 || report < 1) {
        throw new IllegalArgumentException("need nodes >= 2, rate >= 1, minutes > 0, size >= 4, degree >= 1,"
            + " cache-size 1.." + BroadcastConfig.MAX_CACHE_SIZE + ", warmup-items >= 0, warmup-seconds >= 0,"
            + " report-seconds >= 1");
      }
      return new Options(nodes, rate, minutes, size, degree, seed, cacheSize, warmupItems, warmup, report);
    }
  }

  /**
   * The {@code cache_size} an operator sets for a network rate of {@code itemsPerSecond}: the
   * payload cache must keep each item {@value #CACHE_SECONDS} s, twice the longest learned GRAFT
   * wait (1 s, which is capped at half the cache's retention), and long enough that the 150 ms IHAVE
   * flush is not shortened (capped at a quarter of it); never below the default 50. It also lets
   * local items in at up to 4 times that rate (cache_size per 250 ms), so bursts do not wait.
   * docs/CONFIG.md says the same.
   */
  static int cacheSizeFor(int itemsPerSecond) {
    return Math.max(BroadcastConfig.DEFAULT_CACHE_SIZE, CACHE_SECONDS * itemsPerSecond);
  }

  private SoakBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench soak: " + e.getMessage() + "; options: --nodes N --rate N --minutes M --size N"
          + " --degree N --seed N --cache-size N --warmup-items N --warmup-seconds N --report-seconds N");
      System.exit(2);
      return;
    }
    System.out.printf("Soak: %d nodes on loopback sharing %d loop threads, TLS links, degree %d, proof of work off,"
        + " one validating module per node%n", o.nodes(), BenchNetwork.loopThreads(), o.degree());
    System.out.println(Machine.summary());
    System.out.printf("load average at start: %s%n", Machine.loadAverage());
    System.out.printf("%d items/s of %d bytes from random nodes (seed %d), open loop, for %s min after a warm-up of"
            + " %d items one after another (the tree forms) and %d s at the rate; cache_size %d (the payload cache"
            + " keeps an item %.1f s at this rate); an item not at every module within %d s is lost%n%n",
        o.rate(), o.size(), o.seed(), minutes(o.minutes()), o.warmupItems(), o.warmupSeconds(), o.cacheSize(),
        (double) o.cacheSize() / o.rate(), ITEM_PATIENCE_SECONDS);

    long tracked = Math.max(MIN_TRACKED, Long.highestOneBit((long) o.rate() * (ITEM_PATIENCE_SECONDS + 5)) << 1);
    Tracker tracker = new Tracker((int) tracked, o.nodes());
    try (BenchNetwork bench = BenchNetwork.start("soak", o.nodes(), o.degree(), NodeOptions.production(),
        k -> k.cacheSize = o.cacheSize(), tracker::notified, System.out)) {
      new Soak(o, bench, tracker).run();
    }
  }

  /** One run: the announcing thread, and the reports on the calling thread. */
  private static final class Soak {
    private final Options o;
    private final BenchNetwork bench;
    private final Tracker tracker;
    private final List<Sample> samples = new ArrayList<>();
    private final Histogram allReached = Tracker.histogram();
    private final Histogram eachDelivery = Tracker.histogram();
    /** Set by the main thread when the announcer should stop. */
    private volatile boolean stop;
    /** The announcer's furthest lag behind its schedule since the last report, ns; reset by the reporter. */
    private final AtomicLong behindNanos = new AtomicLong();
    private volatile Throwable announceFailure;
    /** Counted down once the warm-up's items one after another are done and the open loop begins. */
    private final CountDownLatch openLoop = new CountDownLatch(1);
    private volatile long closedLoopNanos;

    Soak(Options o, BenchNetwork bench, Tracker tracker) {
      this.o = o;
      this.bench = bench;
      this.tracker = tracker;
    }

    void run() throws Exception {
      Sample idle = sample("idle", 0, 0, 0);
      System.out.printf("before load: %s%n", idle.describe());
      Thread announcer = new Thread(this::announce, "soak-announcer");
      announcer.start();
      openLoop.await();
      long measureFrom = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
      long end = measureFrom + (long) (o.minutes() * 60e9);
      System.out.printf("warm-up: %d items one after another in %.1f s, %d lost; now %d s at the rate%n",
          o.warmupItems(), closedLoopNanos / 1e9, tracker.lost(), o.warmupSeconds());
      LockSupport.parkNanos(measureFrom - System.nanoTime());
      tracker.allReached.reset(); // the warm-up's items are tracked for loss, not for latency
      tracker.eachDelivery.reset();
      Map<BroadcastCounter, Long> countersBefore = bench.net().broadcastTotals();
      long cpuBefore = Machine.processCpuNanos();
      long announcedBefore = tracker.announced();
      Sample start = sample("start", measureFrom, announcedBefore, cpuBefore);
      System.out.printf("after %d s at the rate: %s%n", o.warmupSeconds(), start.describe());
      samples.add(start);

      long interval = TimeUnit.SECONDS.toNanos(o.reportSeconds());
      Sample last = start;
      for (long next = measureFrom + interval; ; next += interval) {
        long at = Math.min(next, end);
        LockSupport.parkNanos(at - System.nanoTime());
        if (announceFailure != null) break;
        Sample s = sample(clock(at - measureFrom), measureFrom, announcedBefore, cpuBefore);
        samples.add(s);
        System.out.printf("[%s] %s%n", s.label(), s.describe(last));
        last = s;
        if (at >= end) break;
      }
      stop = true;
      announcer.join();
      long announceEnded = System.nanoTime();
      long cpu = Machine.processCpuNanos() - cpuBefore;
      long announced = tracker.announced() - announcedBefore;
      tracker.drain(TimeUnit.SECONDS.toNanos(ITEM_PATIENCE_SECONDS));
      Map<BroadcastCounter, Long> counters = bench.net().broadcastTotals();
      counters.replaceAll((counter, v) -> v - countersBefore.getOrDefault(counter, 0L));
      Sample after = sample("drained", measureFrom, announcedBefore, cpuBefore);
      System.out.printf("after the last items (%.1f s later): %s%n%n", (System.nanoTime() - announceEnded) / 1e9,
          after.describe());
      report(start, last, after, announced, (announceEnded - measureFrom) / 1e9, cpu, counters);
    }

    /**
     * Announces the warm-up items one after another, then at the rate until told to stop; each item
     * at a random node, its sequence number first.
     */
    private void announce() {
      try {
        List<TestModule> announcers = bench.announcers();
        SplittableRandom random = new SplittableRandom(o.seed());
        byte[] data = new byte[o.size()];
        int seq = 0;
        long began = System.nanoTime();
        for (; seq < o.warmupItems() && !stop; seq++) {
          ByteBuffer.wrap(data).putInt(0, seq);
          tracker.sent(seq);
          announcers.get(random.nextInt(announcers.size())).announce(0, BenchNetwork.DATA_TYPE, data);
          tracker.awaitSettled(seq + 1, System.nanoTime() + TimeUnit.SECONDS.toNanos(ITEM_PATIENCE_SECONDS));
        }
        tracker.retireOlderThan(System.nanoTime());
        closedLoopNanos = System.nanoTime() - began;
        openLoop.countDown();
        long interval = 1_000_000_000L / o.rate();
        long next = System.nanoTime();
        for (; !stop; seq++) {
          next += interval;
          long wait = next - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait); // pacing an open-loop load, not waiting for an event
          } else {
            behindNanos.accumulateAndGet(-wait, Math::max);
          }
          TestModule at = announcers.get(random.nextInt(announcers.size()));
          ByteBuffer.wrap(data).putInt(0, seq);
          tracker.sent(seq);
          at.announce(0, BenchNetwork.DATA_TYPE, data);
          tracker.retireOlderThan(System.nanoTime() - TimeUnit.SECONDS.toNanos(ITEM_PATIENCE_SECONDS));
        }
      } catch (Throwable t) {
        announceFailure = t;
        System.out.printf("announcer failed: %s%n", t);
      } finally {
        openLoop.countDown();
      }
    }

    /**
     * The heap in use after a full GC. ZGC counts what is allocated while it collects as live, so
     * under load one collection leaves that much garbage behind; the second, right after, takes
     * most of it: the smaller reading is the one reported.
     */
    private static long heapAfterGc() {
      long least = Long.MAX_VALUE;
      for (int i = 0; i < 2; i++) {
        System.gc();
        least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
      }
      return least;
    }

    /** What the run looks like now, after a full GC; {@code measureFrom} 0: before the load. */
    private Sample sample(String label, long measureFrom, long announcedBefore, long cpuBefore) {
      long now = System.nanoTime();
      long cpu = Machine.processCpuNanos();
      // the counts first, at the same instant as the caller's announced count: the full GC below
      // takes about a second, in which a thousand items may complete
      long announced = tracker.announced();
      long delivered = tracker.delivered();
      long completed = tracker.completed();
      long lost = tracker.lost();
      long late = tracker.late();
      long heap = heapAfterGc();
      Map<String, Long> deepest = new LinkedHashMap<>();
      Map<String, Long> total = new LinkedHashMap<>();
      for (GossipNode node : bench.nodes()) {
        node.queues().forEach((name, v) -> {
          deepest.merge(name, v.longValue(), Math::max);
          total.merge(name, v.longValue(), Long::sum);
        });
      }
      Histogram interval = tracker.allReached.getIntervalHistogram();
      allReached.add(interval);
      eachDelivery.add(tracker.eachDelivery.getIntervalHistogram());
      return new Sample(label, measureFrom == 0 ? 0 : (now - measureFrom) / 1e9, announced,
          announced - announcedBefore, delivered, completed, lost, late, behindNanos.getAndSet(0), heap,
          deepest, total, interval, measureFrom == 0 ? 0 : cpu - cpuBefore, cpuByThreads(cpu), Machine.loadAverage());
    }

    /**
     * This process's CPU time so far by kind of thread: the nodes' event loops, the modules' reader
     * threads, the announcer, the TLS handshakes, and the rest (the JVM's own: GC, JIT compilers).
     */
    private static Map<String, Long> cpuByThreads(long processCpu) {
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      Map<String, Long> by = new LinkedHashMap<>();
      for (String kind : List.of("loops", "modules", "announcer", "handshakes", "other Java threads")) by.put(kind, 0L);
      long java = 0;
      for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
        if (t == null) continue;
        long cpu = threads.getThreadCpuTime(t.getThreadId());
        if (cpu <= 0) continue;
        String name = t.getThreadName();
        String kind = name.startsWith("gossip-loop") ? "loops" : name.startsWith("module-") ? "modules"
            : name.equals("soak-announcer") ? "announcer" : name.startsWith("gossip-tls-handshake") ? "handshakes"
            : "other Java threads";
        by.merge(kind, cpu, Long::sum);
        java += cpu;
      }
      by.put("JVM (GC, JIT)", Math.max(0, processCpu - java)); // threads that ended are in here too
      return by;
    }

    private void report(Sample start, Sample end, Sample drained, long announced, double seconds, long cpu,
        Map<BroadcastCounter, Long> counters) {
      long lost = drained.lost();
      System.out.printf("items: %,d announced in %.1f s (%.1f/s, target %d/s), %,d reached every module, %d lost"
              + " (not at every module within %d s), %d notifications after their item was given up, or repeated%n",
          announced, seconds, announced / seconds, o.rate(), drained.completed() - start.completed(), lost,
          ITEM_PATIENCE_SECONDS, drained.late());
      System.out.printf("latency, ms, from ANNOUNCE until the last of the %d modules has the item (all) and until each"
              + " has it (each), over the measured %s min: all p50 %.2f p99 %.2f p99.9 %.2f max %.2f; each p50 %.2f"
              + " p99 %.2f%n", o.nodes(), minutes(o.minutes()), ms(allReached, 50), ms(allReached, 99),
          ms(allReached, 99.9), allReached.getMaxValue() / 1e6, ms(eachDelivery, 50), ms(eachDelivery, 99));
      System.out.printf("CPU: %.3f ms per item (this process, all threads: nodes, TLS, modules, the announcer), %.2f of"
          + " %d cores busy on average%n", cpu / 1e6 / announced, cpu / 1e9 / seconds,
          Runtime.getRuntime().availableProcessors());
      StringBuilder split = new StringBuilder();
      end.cpuByThreads().forEach((kind, v) -> split.append(split.isEmpty() ? "" : ", ").append(String.format(
          "%s %.3f", kind, (v - start.cpuByThreads().get(kind)) / 1e6 / (end.announced() - start.announced()))));
      System.out.printf("CPU ms per item by thread, start to end: %s%n", split);
      double payload = (double) counters.get(BroadcastCounter.PAYLOAD_SENT) / announced;
      System.out.printf("traffic per item: %.1f payload messages (RMR %.3f), %.1f IHAVE, %.3f GRAFT, %.3f PRUNE,"
              + " %.1f duplicates; control bytes per node %.1f%n", payload, payload / (o.nodes() - 1) - 1,
          perItem(counters, BroadcastCounter.IHAVE_SENT, announced),
          perItem(counters, BroadcastCounter.GRAFT_SENT, announced),
          perItem(counters, BroadcastCounter.PRUNE_SENT, announced),
          perItem(counters, BroadcastCounter.DUPLICATES_RECEIVED, announced),
          NetBenchmark.controlBytes(counters) / announced / o.nodes());
      System.out.printf("counters over the measured phase: %s%n", counters);

      // every node's seen record keeps the ids of its last 100,000 items (by default): until every node has
      // seen that many the heap grows by design, so flatness is judged from the first report after that
      int seenCapacity = BroadcastConfig.defaults().seenCapacity();
      Sample reference = samples.stream().filter(s -> s.announcedInAll() >= seenCapacity).findFirst().orElse(end);
      System.out.printf("heap after GC, MiB: start %.1f, %s %.1f (first report after the seen records filled: %,d"
              + " items), end %.1f, after the last items %.1f; every report: %s%n", mib(start.heap()),
          reference.label(), mib(reference.heap()), seenCapacity, mib(end.heap()), mib(drained.heap()),
          samples.stream().map(s -> String.format("%.0f", mib(s.heap()))).toList());
      boolean heapFlat = reference != end && end.heap() <= reference.heap() + Math.max(reference.heap() / 10, 32 << 20);
      List<String> growing = new ArrayList<>();
      System.out.println("queues, deepest at any node (sum over nodes): start -> end, most at any report");
      for (String name : end.deepest().keySet()) {
        long startDeep = start.deepest().get(name), endDeep = end.deepest().get(name);
        long most = samples.stream().mapToLong(s -> s.deepest().get(name)).max().orElse(0);
        long slack = name.endsWith("bytes") ? 1 << 20 : 100;
        if (endDeep > 2 * startDeep + slack) growing.add(name);
        System.out.printf("  %-24s %,10d (%,d) -> %,10d (%,d), most %,d%n", name, startDeep, start.total().get(name),
            endDeep, end.total().get(name), most);
      }
      System.out.printf("announcer: furthest behind its schedule in any interval %.1f ms%n",
          samples.stream().mapToLong(Sample::behindNanos).max().orElse(0) / 1e6);
      System.out.printf("load average at the end: %s (other processes on this machine count too)%n",
          Machine.loadAverage());

      List<String> reasons = new ArrayList<>();
      if (announceFailure != null) reasons.add("the announcer failed: " + announceFailure);
      if (lost > 0) reasons.add(lost + " items lost");
      if (announced < 0.99 * o.rate() * seconds) {
        reasons.add(String.format("the rate was not kept: %.1f items/s", announced / seconds));
      }
      if (reference == end) {
        reasons.add("too short to judge the heap (no report after the seen records filled before the last one)");
      } else if (!heapFlat) {
        reasons.add(String.format("heap after GC grew %.1f -> %.1f MiB", mib(reference.heap()), mib(end.heap())));
      }
      if (!growing.isEmpty()) reasons.add("queues growing: " + growing);
      System.out.printf("verdict: %d items/s over %d nodes for %s min, degree %d: %s%n", o.rate(), o.nodes(),
          minutes(o.minutes()), o.degree(), reasons.isEmpty()
              ? "met (nothing lost, heap after GC flat, no queue growing)"
              : "NOT met (" + String.join("; ", reasons) + ")");
    }
  }

  /** One report: counts so far, the heap after GC, the queues, and the latency since the previous report. */
  record Sample(String label, double seconds, long announcedInAll, long announced, long delivered, long completed, long lost, long late,
      long behindNanos, long heap, Map<String, Long> deepest, Map<String, Long> total, Histogram interval,
      long cpuNanos, Map<String, Long> cpuByThreads, String load) {
    String describe() {
      return String.format("heap after GC %.1f MiB; queues, deepest at any node: %s; load %s", mib(heap), deepest,
          load);
    }

    String describe(Sample previous) {
      long items = announced - previous.announced;
      double cpuPerItem = items == 0 ? 0 : (cpuNanos - previous.cpuNanos) / 1e6 / items;
      double loops = items == 0 ? 0 : (cpuByThreads.get("loops") - previous.cpuByThreads.get("loops")) / 1e6 / items;
      double modules =
          items == 0 ? 0 : (cpuByThreads.get("modules") - previous.cpuByThreads.get("modules")) / 1e6 / items;
      return String.format("announced %,d (%,.0f/s) delivered %,d complete %,d lost %d; last interval all p50 %.1f"
              + " p99 %.1f max %.1f ms, CPU %.2f ms/item (loops %.2f, modules %.2f), announcer behind %.0f ms;"
              + " heap after GC %.1f MiB; queues, deepest at any node: %s; load %s", announced,
          items / (seconds - previous.seconds), delivered, completed, lost, ms(interval, 50), ms(interval, 99),
          interval.getMaxValue() / 1e6, cpuPerItem, loops, modules, behindNanos / 1e6, mib(heap), deepest, load);
    }
  }

  /**
   * Items in flight, in a ring of slots by sequence number: when each was announced and how many
   * modules still lack it. An item is retired once it reached every module or waited the patience
   * (then it is lost); its slot is reused only after that, so memory stays bounded however long the
   * run. Latencies go to HdrHistogram recorders, read per report.
   */
  static final class Tracker {
    /** Left in a retired slot: a notification decrements it, far below zero, and counts as late. */
    private static final int RETIRED = Integer.MIN_VALUE / 2;

    final Recorder allReached = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    final Recorder eachDelivery = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
    private final int mask;
    private final int modules;
    private final AtomicLongArray sentAt;
    private final AtomicIntegerArray seqOf;
    private final AtomicIntegerArray remaining;
    private final LongAdder delivered = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder completed = new LongAdder();
    /** Written by the announcer only (and by {@link #drain} after it stopped). */
    private volatile long lost;
    private volatile int announced;
    private int retired;

    Tracker(int slots, int modules) {
      if (Integer.bitCount(slots) != 1) throw new IllegalArgumentException("slots must be a power of two");
      this.mask = slots - 1;
      this.modules = modules;
      this.sentAt = new AtomicLongArray(slots);
      this.seqOf = new AtomicIntegerArray(slots);
      this.remaining = new AtomicIntegerArray(slots);
      for (int i = 0; i < slots; i++) {
        seqOf.set(i, -1);
        remaining.set(i, RETIRED);
      }
    }

    static Histogram histogram() {
      return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
    }

    /** Item {@code seq} (the next one) is about to be announced; on the announcer's thread. */
    void sent(int seq) {
      if (seq - retired > mask) retire(); // its slot's previous item has not been retired yet: now
      int slot = seq & mask;
      sentAt.set(slot, System.nanoTime());
      remaining.set(slot, modules);
      seqOf.set(slot, seq);
      announced = seq + 1;
    }

    /** Retires the items announced before {@code nanoTime} (all of them reached everyone or are lost). */
    void retireOlderThan(long nanoTime) {
      while (retired < announced && sentAt.get(retired & mask) < nanoTime) retire();
    }

    private void retire() {
      int left = remaining.getAndSet(retired & mask, RETIRED);
      if (left > 0) {
        lost++;
        if (lost <= 10) System.out.printf("lost: item %d reached %d of %d modules%n", retired, modules - left, modules);
      }
      retired++;
    }

    /** Waits until {@code items} items reached every module or were lost, or until {@code deadline} (nanoTime). */
    void awaitSettled(long items, long deadline) {
      while (completed() + lost < items && System.nanoTime() < deadline) LockSupport.parkNanos(20_000);
    }

    /** Waits until every announced item reached every module, or {@code patienceNanos}; then retires all. */
    void drain(long patienceNanos) {
      long deadline = System.nanoTime() + patienceNanos;
      while (completed() + lost < announced && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      while (retired < announced) retire();
    }

    /** Called on the modules' reader threads. */
    void notified(int dataType, byte[] data, long receivedNanos) {
      if (dataType != BenchNetwork.DATA_TYPE) return;
      int seq = ItemLoop.seqOf(data);
      if (seq < 0) return; // too short to carry a number: not one of ours
      int slot = seq & mask;
      if (seqOf.get(slot) != seq) { // retired and its slot reused: very late
        late.increment();
        return;
      }
      long latency = Math.min(Math.max(0, receivedNanos - sentAt.get(slot)), TimeUnit.SECONDS.toNanos(60));
      int left = remaining.decrementAndGet(slot);
      if (left < 0) { // retired (lost) before this one came, or a repeated notification
        late.increment();
        return;
      }
      delivered.increment();
      eachDelivery.recordValue(latency);
      if (left == 0) {
        completed.increment();
        allReached.recordValue(latency);
      }
    }

    long announced() {
      return announced;
    }

    long delivered() {
      return delivered.sum();
    }

    long completed() {
      return completed.sum();
    }

    long lost() {
      return lost;
    }

    long late() {
      return late.sum();
    }
  }

  private static String clock(long nanos) {
    long s = Math.round(nanos / 1e9);
    return String.format("%d:%02d", s / 60, s % 60);
  }

  private static String minutes(double m) {
    return m == Math.rint(m) ? String.valueOf((long) m) : String.valueOf(m);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
  }

  private static double mib(long bytes) {
    return bytes / 1048576.0;
  }

  private static double perItem(Map<BroadcastCounter, Long> c, BroadcastCounter counter, long items) {
    return (double) c.get(counter) / items;
  }
}
