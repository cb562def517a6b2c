package voidphone.gossip.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.membership.MembershipConfig;
import voidphone.gossip.node.NodeOptions;

/**
 * This project's row of {@code ./bench compare}: the network of {@code ./bench net} ({@link
 * BenchNetwork}: real nodes in this JVM, TLS links, HyParView, Plumtree, a validating module per
 * node on the real API), one configuration and mode per process; prints one {@link CompareResult}
 * line. Options: see {@link CompareRun.Options}.
 */
public final class CompareOurs {
  static final List<String> CONFIGS = List.of("default", "tuned");
  /** The tuned row's degree: see the why of that row. */
  static final int TUNED_DEGREE = 8;

  private CompareOurs() {}

  public static void main(String[] args) throws Exception {
    CompareRun.Options o = CompareRun.Options.parseOrExit("ours", CONFIGS, args);
    boolean tuned = o.config().equals("tuned");
    int degree = tuned ? TUNED_DEGREE : MembershipConfig.DEFAULT_DEGREE;
    NodeOptions options = NodeOptions.production();
    String why = tuned
        ? "the default row at degree " + TUNED_DEGREE + " (active view of 8 links, so 7 lazy links per node"
            + " to announce to instead of 29): for 50 nodes a tree over 8 links per node is as shallow, and"
            + " every IHAVE, TLS record and CPU cycle spent on the 22 links more is saved"
        : "as shipped (NodeOptions.production(), the config file's defaults): degree "
            + MembershipConfig.DEFAULT_DEGREE + ", Plumtree IHAVEs batched over "
            + BroadcastConfig.DEFAULT_IHAVE_FLUSH_MILLIS + " ms to " + BroadcastConfig.DEFAULT_IHAVE_FANOUT_PERCENT
            + " % of the lazy peers per flush, TLS 1.3 links, proof of work off (the test keys)";
    String name = "ours " + o.config() + " " + o.mode();
    ItemTracker tracker = new ItemTracker(o.total(), o.nodes(), o.warmup());
    try (BenchNetwork net = BenchNetwork.start(name, o.nodes(), degree, options, tracker, System.err);
        LoopbackTraffic traffic = LoopbackTraffic.watch(net.peerPorts())) {
      SplittableRandom random = new SplittableRandom(o.seed());
      System.err.printf("%s: %d warm-up items ...%n", name, o.warmup());
      ItemLoop.run(tracker, 0, o.warmup(), o.rate(), o.size(), net.size(), random, net::announce);
      System.err.printf("%s: %d measured items ...%n", name, o.items());
      Map<BroadcastCounter, Long> before = net.counters();
      LoopbackTraffic.Snapshot start = traffic.snapshot();
      long wall = System.nanoTime(), cpu = Machine.processCpuNanos();
      ItemLoop.run(tracker, o.warmup(), o.total(), o.rate(), o.size(), net.size(), random, net::announce);
      wall = System.nanoTime() - wall;
      cpu = Machine.processCpuNanos() - cpu;
      LoopbackTraffic.Window window = traffic.since(start);
      Thread.sleep(1000); // a copy sent late (a GRAFT's answer) still counts
      Map<BroadcastCounter, Long> after = net.counters();
      after.replaceAll((counter, v) -> v - before.getOrDefault(counter, 0L));
      double nodeItems = (double) o.nodes() * o.items();
      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("bytes_method", "kernel TCP counters of the peer links (tcp_info bytes_acked of every socket with a"
          + " node's peer port at one end, read with ss before and after the measured phase, closed sockets from"
          + " ss's close events): TLS 1.3 records with payload, Plumtree control, HyParView and link keep-alives,"
          + " short-lived dials included; no TCP/IP headers; the API sockets of the modules are not peer links");
      extra.put("copies_method", "GOSSIP messages the nodes received (Plumtree's PAYLOAD_RECEIVED counter,"
          + " duplicates included) over the measured phase and 1 s after it, per node and item");
      extra.put("validation", "one module per node on the real API; it subscribes and answers every NOTIFICATION"
          + " with VALIDATION(valid); a node forwards an item only once its module judged it valid");
      extra.put("peer_sockets", window.sockets());
      extra.put("peer_sockets_closed_in_phase", window.closed());
      extra.put("degree", degree);
      extra.put("rmr", CompareRun.round(after.get(BroadcastCounter.PAYLOAD_SENT) / (double) o.items()
          / (o.nodes() - 1) - 1, 3));
      extra.put("ihave_frames_per_item", CompareRun.round(after.get(BroadcastCounter.IHAVE_SENT) / (double) o.items(), 1));
      extra.put("grafts_per_item", CompareRun.round(after.get(BroadcastCounter.GRAFT_SENT) / (double) o.items(), 3));
      extra.put("prunes_per_item", CompareRun.round(after.get(BroadcastCounter.PRUNE_SENT) / (double) o.items(), 3));
      extra.put("control_bytes_per_node_item_before_tls", CompareRun.round(NetBenchmark.controlBytes(after) / nodeItems, 1));
      extra.put("payload_bytes_per_node_item_before_tls", CompareRun.round(
          after.get(BroadcastCounter.PAYLOAD_SENT) * (double) NetBenchmark.payloadFrameBytes(o.size()) / nodeItems, 1));
      extra.put("overlay", net.views());
      CompareResult r = CompareRun.result("ours", why, o, tracker, after.get(BroadcastCounter.PAYLOAD_RECEIVED), window.bytes(),
          cpu, wall, extra);
      System.err.printf("%s: p50 %.2f ms, p99 %.2f ms, %d lost, %.2f copies and %.0f B per node and item, %.2f CPU ms"
          + " per item%n", name, r.allP50Ms(), r.allP99Ms(), r.lost(), r.copiesPerNodeItem(), r.bytesPerNodeItem(),
          r.cpuMsPerItem());
      System.out.println(r.line());
    }
    System.exit(0);
  }
}
