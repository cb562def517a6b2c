package voidphone.gossip.bench;

import io.scalecube.cluster.Cluster;
import io.scalecube.cluster.ClusterConfig;
import io.scalecube.cluster.ClusterImpl;
import io.scalecube.cluster.ClusterMath;
import io.scalecube.cluster.ClusterMessageHandler;
import io.scalecube.cluster.gossip.GossipConfig;
import io.scalecube.cluster.transport.api.Message;
import io.scalecube.cluster.transport.api.Transport;
import io.scalecube.transport.netty.tcp.TcpTransportFactory;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLongArray;
import org.awaitility.Awaitility;

/**
 * ScaleCube's row of {@code ./bench compare}: ScaleCube cluster 2.7.10 members in this JVM on
 * 127.0.0.1 (its TCP transport, its SWIM membership and failure detector), the same items spread
 * with its gossip API ({@code cluster.spreadGossip(message)}), each member hearing them in {@code
 * onGossip}. ScaleCube has no validation step: a member forwards what it receives unjudged. One
 * configuration and mode per process; prints one {@link CompareResult} line. Options: see {@link
 * CompareRun.Options}.
 */
public final class CompareScaleCube {
  static final List<String> CONFIGS = List.of("default", "tuned");
  static final long TUNED_INTERVAL_MILLIS = 20;
  static final int TUNED_FANOUT = 4;
  static final int TUNED_REPEAT_MULT = GossipConfig.DEFAULT_GOSSIP_REPEAT_MULT;
  /** The gossip protocol's message qualifier; each such message carries one gossip to one member. */
  private static final String GOSSIP_REQ = "sc/gossip/req";

  private CompareScaleCube() {}

  public static void main(String[] args) throws Exception {
    CompareRun.Options o = CompareRun.Options.parseOrExit("scalecube", CONFIGS, args);
    boolean tuned = o.config().equals("tuned");
    // tuned starts from the LAN preset (what new ClusterImpl() runs): at 20 ms the gossip keeps both
    // cores busy, and the local preset's 200 ms ping timeout then declared members suspect until the
    // membership fell apart (a run on the loaded machine, 2026-12-01 23:50); the LAN one waits 500 ms
    ClusterConfig config = (tuned
        ? ClusterConfig.defaultConfig().gossip(g -> g.gossipInterval(TUNED_INTERVAL_MILLIS).gossipFanout(TUNED_FANOUT)
            .gossipRepeatMult(TUNED_REPEAT_MULT))
        : ClusterConfig.defaultLocalConfig()).externalHost("127.0.0.1");
    GossipConfig g = config.gossipConfig();
    String why = tuned
        ? "gossip every " + TUNED_INTERVAL_MILLIS + " ms to " + TUNED_FANOUT + " members, each gossip repeated for "
            + TUNED_REPEAT_MULT + " x log2(n) rounds (the setting of the earlier separate measurement: 44 ms median,"
            + " about 43 copies), on ScaleCube's LAN preset, what new ClusterImpl() runs: its failure detector waits"
            + " 500 ms for a ping where the local preset waits 200, which at this gossip rate, both cores busy,"
            + " declared members suspect until the membership fell apart"
        : "ClusterConfig.defaultLocalConfig(), ScaleCube's preset for members on one host: gossip every "
            + g.gossipInterval() + " ms to " + g.gossipFanout() + " random members, each gossip repeated for "
            + g.gossipRepeatMult() + " x log2(n) rounds, SWIM pings every 1 s (200 ms timeout); its TCP transport,"
            + " Java serialization, no encryption (ScaleCube has none between members), members addressed as 127.0.0.1";
    String name = "scalecube " + o.config() + " " + o.mode();
    ItemTracker tracker = new ItemTracker(o.total(), o.nodes() - 1, o.warmup()); // the origin has its own item
    AtomicLongArray copies = new AtomicLongArray(o.total());
    List<Cluster> members = new ArrayList<>();
    try {
      System.err.printf("%s: starting %d members ...%n", name, o.nodes());
      long started = System.nanoTime();
      ClusterMessageHandler handler = new ClusterMessageHandler() {
        @Override
        public void onGossip(Message gossip) {
          long now = System.nanoTime();
          if (gossip.data() instanceof byte[] data) tracker.received(ItemLoop.seqOf(data), now);
        }
      };
      Cluster seed = start(config, handler, null, copies);
      members.add(seed);
      for (int i = 1; i < o.nodes(); i++) members.add(start(config, handler, seed.address(), copies));
      Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
          .until(() -> members.stream().allMatch(m -> m.otherMembers().size() == o.nodes() - 1));
      System.err.printf("%s: every member sees the %d others after %.1f s%n", name, o.nodes() - 1,
          (System.nanoTime() - started) / 1e9);
      Set<Integer> ports = new TreeSet<>();
      for (Cluster m : members) ports.add(Transport.parsePort(m.address()));
      try (LoopbackTraffic traffic = LoopbackTraffic.watch(ports)) {
        SplittableRandom random = new SplittableRandom(o.seed());
        ItemLoop.Publisher publisher = (origin, data) -> members.get(origin).spreadGossip(Message.withData(data).build())
            .subscribe(id -> {}, e -> System.err.println(name + ": spreadGossip failed: " + e));
        System.err.printf("%s: %d warm-up items ...%n", name, o.warmup());
        ItemLoop.run(tracker, 0, o.warmup(), o.rate(), o.size(), o.nodes(), random, publisher);
        System.err.printf("%s: %d measured items ...%n", name, o.items());
        LoopbackTraffic.Snapshot start = traffic.snapshot();
        long wall = System.nanoTime(), cpu = Machine.processCpuNanos();
        ItemLoop.run(tracker, o.warmup(), o.total(), o.rate(), o.size(), o.nodes(), random, publisher);
        wall = System.nanoTime() - wall;
        cpu = Machine.processCpuNanos() - cpu;
        LoopbackTraffic.Window window = traffic.since(start);
        // copies go on arriving until every member stopped spreading the last items
        long spreadMillis = ClusterMath.gossipDisseminationTime(g.gossipRepeatMult(), o.nodes(), g.gossipInterval());
        Thread.sleep(spreadMillis + 2 * g.gossipInterval() + 500);
        long copySum = 0;
        for (int seq = o.warmup(); seq < o.total(); seq++) copySum += copies.get(seq);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("bytes_method", "kernel TCP counters of the member links (tcp_info bytes_acked of every socket"
            + " with a member's port at one end, read with ss before and after the measured phase, closed sockets"
            + " from ss's close events): ScaleCube's length-prefixed, Java-serialized messages, gossip and SWIM"
            + " (pings, membership sync) included, unencrypted; no TCP/IP headers");
        extra.put("copies_method", "gossip requests (" + GOSSIP_REQ + ", one gossip each) the members received,"
            + " duplicates included, attributed to their item by its number, until " + spreadMillis + " ms (the"
            + " spreading time) after the measured phase and a little more, per member and item");
        extra.put("validation", "none: ScaleCube has no validation step; a member passes on what it receives");
        extra.put("gossip_interval_ms", g.gossipInterval());
        extra.put("gossip_fanout", g.gossipFanout());
        extra.put("gossip_repeat_mult", g.gossipRepeatMult());
        extra.put("peer_sockets", window.sockets());
        extra.put("peer_sockets_closed_in_phase", window.closed());
        CompareResult r = CompareRun.result("scalecube", why, o, tracker, copySum, window.bytes(), cpu, wall, extra);
        System.err.printf("%s: p50 %.2f ms, p99 %.2f ms, %d lost, %.2f copies and %.0f B per member and item, %.2f"
            + " CPU ms per item%n", name, r.allP50Ms(), r.allP99Ms(), r.lost(), r.copiesPerNodeItem(),
            r.bytesPerNodeItem(), r.cpuMsPerItem());
        System.out.println(r.line());
      }
    } finally {
      members.forEach(Cluster::shutdown);
    }
    System.exit(0);
  }

  /** Starts one member (the first when {@code seed} is null), counting the gossip copies it receives. */
  private static Cluster start(ClusterConfig config, ClusterMessageHandler handler, String seed,
      AtomicLongArray copies) {
    ClusterImpl cluster = new ClusterImpl(config).transportFactory(TcpTransportFactory::new).handler(c -> handler);
    if (seed != null) cluster = cluster.membership(m -> m.seedMembers(seed));
    Cluster started = cluster.startAwait();
    started.transport().listen().filter(m -> GOSSIP_REQ.equals(m.qualifier())).subscribe(m -> {
      for (Object gossip : GossipRequests.gossips(m.data())) {
        if (GossipRequests.payload(gossip) instanceof byte[] data) {
          int seq = ItemLoop.seqOf(data);
          if (seq >= 0 && seq < copies.length()) copies.incrementAndGet(seq);
        }
      }
    });
    return started;
  }

  /** Reads ScaleCube's package-private GossipRequest and Gossip (their accessors are public). */
  private static final class GossipRequests {
    private static final Method GOSSIPS;
    private static final Method MESSAGE;

    static {
      try {
        GOSSIPS = Class.forName("io.scalecube.cluster.gossip.GossipRequest").getMethod("gossips");
        MESSAGE = Class.forName("io.scalecube.cluster.gossip.Gossip").getMethod("message");
        GOSSIPS.setAccessible(true);
        MESSAGE.setAccessible(true);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    static List<?> gossips(Object request) {
      try {
        return (List<?>) GOSSIPS.invoke(request);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }

    static Object payload(Object gossip) {
      try {
        return ((Message) MESSAGE.invoke(gossip)).data();
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
