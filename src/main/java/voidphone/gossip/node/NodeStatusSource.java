package voidphone.gossip.node;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import voidphone.gossip.Version;
import voidphone.gossip.admin.NodeStatus;
import voidphone.gossip.api.ApiServer;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.link.LinkManager;

/**
 * What the admin endpoint shows of a node: the {@code /status} snapshot and the {@code /metrics}
 * registry (every metric and field is listed in docs/METRICS.md). Called on the node's loop, like
 * everything that reads node state.
 */
final class NodeStatusSource {
  private static final Path PROC_STATUS = Path.of("/proc/self/status");
  private static final Path PROC_FD = Path.of("/proc/self/fd");

  private final NodeId id;
  private final ApiServer api;
  private final PeerService peers;
  private final LinkManager links;
  private final int powDifficulty;
  private final long startedNanos = System.nanoTime();
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  NodeStatusSource(NodeId id, ApiServer api, PeerService peers, LinkManager links, int powDifficulty) {
    this.id = id;
    this.api = api;
    this.peers = peers;
    this.links = links;
    this.powDifficulty = powDifficulty;
    gauge("gossip_active_view_size", "Peers in the active view (neighbours with an open link)",
        s -> s.peers.activeView().size());
    gauge("gossip_passive_view_size", "Peers in the passive view (known, no link)", s -> s.peers.passiveView().size());
    gauge("gossip_links", "Authenticated peer links open now", s -> s.links.links().size());
    gauge("gossip_api_connections", "Connected API clients (local modules)", s -> s.api.hub().connectionCount());
    gauge("gossip_api_subscriptions", "Subscriptions of API clients to data types, all types together",
        s -> s.api.hub().subscribersByType().values().stream().mapToInt(Integer::intValue).sum());
    gauge("gossip_graft_wait_seconds", "Learned wait before GRAFTing an item announced by IHAVE",
        s -> s.peers.graftTimeoutMillis() / 1000.0);
    gauge("gossip_graft_retry_seconds", "Learned wait for a GRAFT's answer before asking the next announcer",
        s -> s.peers.graftRetryMillis() / 1000.0);
    gauge("gossip_pending_validations", "Received items awaiting the local modules' verdict",
        s -> s.core().pendingValidations());
    gauge("gossip_held_items", "New items held back unseen: their sender has as many awaiting a verdict as it may",
        s -> s.core().heldItems());
    gauge("gossip_missing_items", "Items announced by IHAVE and not received yet", s -> s.core().missingItems());
    gauge("gossip_awaiting_link_messages", "Membership messages waiting for a link being dialled",
        s -> s.core().awaitingLink());
    gauge("gossip_api_awaiting_verdicts", "Notifications sent to API clients whose verdict is outstanding",
        s -> s.api.hub().awaitingVerdicts());
    gauge("gossip_link_send_queue_bytes", "Bytes queued for peer links and not yet written to their sockets",
        s -> s.links.pendingSendBytes());
    gauge("gossip_bootstrappers_unreachable", "Configured bootstrappers whose last dial failed",
        s -> s.core().bootstrappers().stream().filter(b -> !b.reachable() && b.failedDials() > 0).count());
    gauge("gossip_pow_own_difficulty", "Leading zero bits of this node's own proof of work", s -> s.links.ownProofBits());
    gauge("gossip_pow_required_difficulty", "pow_difficulty: the proof of work this node requires of itself and of peers",
        s -> s.powDifficulty);
    gauge("gossip_uptime_seconds", "Seconds since this node started", s -> s.uptimeSeconds());
    Gauge.builder("gossip_version", () -> 1).description("Always 1; its label version is this build's version")
        .tag("version", Version.get()).register(registry);
    for (String name : counters().keySet()) {
      FunctionCounter.builder("gossip_" + name, this, s -> s.counters().get(name)).description(help(name))
          .register(registry);
    }
    histograms();
    processAndJvm();
  }

  /** Receipt to verdict, hops, link round trip. */
  private void histograms() {
    Timer verdicts = Timer.builder("gossip_verdict")
        .description("Time from an item's receipt from a peer to the local modules' verdict (or its timeout)")
        .serviceLevelObjectives(seconds(0.0005), seconds(0.001), seconds(0.0025), seconds(0.005), seconds(0.01),
            seconds(0.025), seconds(0.05), seconds(0.1), seconds(0.25), seconds(0.5), seconds(1), seconds(2.5),
            seconds(5), seconds(10), seconds(30))
        .register(registry);
    DistributionSummary hops = DistributionSummary.builder("gossip_delivery_hops")
        .description("Hops an item received from a peer had travelled (1: from its origin directly)")
        .serviceLevelObjectives(1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 16, 24, 32)
        .register(registry);
    Timer rtt = Timer.builder("gossip_link_rtt")
        .description("Round trip of keepalive PING/PONG on peer links (measured on links quiet for a keepalive interval)")
        .serviceLevelObjectives(seconds(0.0001), seconds(0.00025), seconds(0.0005), seconds(0.001), seconds(0.0025),
            seconds(0.005), seconds(0.01), seconds(0.025), seconds(0.05), seconds(0.1), seconds(0.25), seconds(0.5),
            seconds(1), seconds(2.5))
        .register(registry);
    peers.observe(new PeerService.DeliveryObserver() {
      @Override
      public void delivered(int h) {
        hops.record(h);
      }

      @Override
      public void judged(long nanosSinceReceipt) {
        verdicts.record(nanosSinceReceipt, TimeUnit.NANOSECONDS);
      }
    });
    links.onRoundTrip(nanos -> rtt.record(nanos, TimeUnit.NANOSECONDS));
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  /** The usual process and JVM metrics, under the names Prometheus' own clients give them. */
  private void processAndJvm() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
    long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    gauge("process_resident_memory_bytes", "Resident set size of this process (VmRSS of /proc/self/status)",
        s -> residentBytes());
    gauge("process_start_time_seconds", "Start time of this process since the Unix epoch", s -> startMillis / 1000.0);
    gauge("process_open_fds", "Open file descriptors of this process (sockets included)", s -> openFds());
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      gauge("process_max_fds", "Most file descriptors this process may open", s -> unix.getMaxFileDescriptorCount());
    }
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      FunctionCounter.builder("process_cpu_seconds", sun, b -> b.getProcessCpuTime() / 1e9)
          .description("CPU time this process used, user and system").register(registry);
    }
    gauge("jvm_memory_heap_used_bytes", "Java heap in use", s -> memory.getHeapMemoryUsage().getUsed());
    gauge("jvm_memory_heap_committed_bytes", "Java heap committed (reserved from the OS)",
        s -> memory.getHeapMemoryUsage().getCommitted());
    gauge("jvm_memory_heap_max_bytes", "Largest the Java heap may grow (-Xmx)", s -> memory.getHeapMemoryUsage().getMax());
    gauge("jvm_memory_nonheap_used_bytes", "JVM memory outside the heap in use (metaspace, code cache)",
        s -> memory.getNonHeapMemoryUsage().getUsed());
    FunctionCounter.builder("jvm_gc_collection_seconds", gcs,
            list -> list.stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).filter(t -> t > 0).sum() / 1000.0)
        .description("Time spent in garbage collection, all collectors together").register(registry);
    FunctionCounter.builder("jvm_gc_collections", gcs,
            list -> list.stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).filter(t -> t > 0).sum())
        .description("Garbage collections, all collectors together").register(registry);
    gauge("jvm_threads_current", "Live JVM threads", s -> threads.getThreadCount());
  }

  private static double residentBytes() {
    try {
      for (String line : Files.readAllLines(PROC_STATUS)) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024.0;
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return Double.NaN;
  }

  private static double openFds() {
    try (Stream<Path> fds = Files.list(PROC_FD)) {
      return fds.count();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private void gauge(String name, String help, ToDoubleFunction<NodeStatusSource> value) {
    Gauge.builder(name, this, value).description(help).register(registry);
  }

  private NodeCore core() {
    return peers.core();
  }

  private long uptimeSeconds() {
    return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startedNanos);
  }

  /** Monotonic counters, by name (no {@code gossip_} prefix, no {@code _total} suffix). */
  Map<String, Long> counters() {
    Map<String, Long> c = new LinkedHashMap<>();
    BroadcastStats stats = peers.broadcastStats();
    for (BroadcastCounter counter : BroadcastCounter.values()) {
      c.put(counter.name().toLowerCase(Locale.ROOT), stats.get(counter));
    }
    c.put("link_violations", links.violations());
    c.put("handshakes_refused", links.refusals());
    c.put("frames_dropped", peers.framesDropped());
    return c;
  }

  /** The HELP text of counter {@code name} (as {@link #counters()} names it). */
  private static String help(String name) {
    return switch (name) {
      case "link_violations" -> "Link protocol violations by peers (each also penalises the peer)";
      case "handshakes_refused" -> "Handshakes this node refused: bans, proofs of work short of pow_difficulty";
      case "frames_dropped" -> "Frames dropped: held too long for a link being dialled, or refused by a full link";
      default -> help(BroadcastCounter.valueOf(name.toUpperCase(Locale.ROOT)));
    };
  }

  private static String help(BroadcastCounter counter) {
    return switch (counter) {
      case PAYLOAD_SENT -> "GOSSIP messages sent (eager pushes and GRAFT answers)";
      case PAYLOAD_RECEIVED -> "GOSSIP messages received, duplicates and rejects included";
      case DUPLICATES_RECEIVED -> "GOSSIP messages received for an item already seen";
      case IHAVE_SENT -> "IHAVE messages sent";
      case IHAVE_IDS_SENT -> "Item ids carried by the IHAVE messages sent";
      case IHAVE_RECEIVED -> "IHAVE messages received";
      case GRAFT_SENT -> "GRAFT messages sent";
      case GRAFT_RECEIVED -> "GRAFT messages received";
      case PRUNE_SENT -> "PRUNE messages sent";
      case PRUNE_RECEIVED -> "PRUNE messages received";
      case ITEMS_BROADCAST -> "Items this node's local modules announced";
      case ITEMS_DELIVERED -> "Items received from peers and handed to the local modules (each once)";
      case ITEMS_VALID -> "Delivered items the local modules accepted";
      case ITEMS_INVALID -> "Delivered items a local module rejected (their sender is penalised)";
      case ITEMS_EXPIRED -> "Delivered items whose verdict timed out (validation_timeout_ms)";
      case ITEMS_UNWANTED -> "Delivered items no local module subscribes to";
      case FORGED_IDS -> "GOSSIP messages whose id did not match their content";
      case GRAFTS_ANSWERED -> "GRAFTed ids answered with the payload";
      case GRAFTS_UNANSWERED -> "GRAFTed ids not in the payload cache";
      case GRAFTS_REFUSED -> "GRAFTed ids not answered: the neighbour had them already or GRAFTed too many";
      case MESSAGES_FROM_NON_NEIGHBORS -> "Broadcast messages from peers that are not neighbours, ignored";
      case CACHE_EVICTIONS -> "Validated payloads evicted from the cache to make room (cache_size)";
      case SEEN_EVICTIONS -> "Item ids forgotten by the seen record to make room";
      case LAZY_IDS_SKIPPED -> "Queued announcements not sent: the peer had announced or pushed the item first";
      case LAZY_IDS_DROPPED -> "Queued announcements dropped: a peer's lazy queue was full";
      case ANNOUNCEMENTS_DROPPED -> "Received announcements ignored: too many tracked, or the announcer over its share";
      case ITEMS_HELD -> "New items held back unseen: their sender had as many awaiting a verdict as it may";
      case PENDING_OVERFLOWS -> "New items dropped unseen: too many validations pending or held";
      case TREE_SHORTCUTS -> "Tree optimisations: a shorter announced path replaced an eager link";
    };
  }

  NodeStatus status() {
    Map<String, Number> counters = new LinkedHashMap<>(counters());
    counters.put("links", links.links().size());
    counters.put("api_connections", api.hub().connectionCount());
    NodeCore core = core();
    Map<String, Number> queues = queues(core, api, links);
    int ownBits = links.ownProofBits();
    return new NodeStatus(
        id.hex(),
        links.advertised().toString(),
        GossipNode.format(api.localAddress()),
        entries(peers.activeView()),
        entries(peers.passiveView()),
        counters,
        Version.get(),
        uptimeSeconds(),
        new NodeStatus.Pow(ownBits, powDifficulty, ownBits >= powDifficulty),
        core.bootstrappers().stream().map(NodeStatusSource::bootstrapper).toList(),
        api.hub().subscribersByType(),
        queues);
  }

  /**
   * What waits inside the node now, by name: the {@code queues} of {@code /status}, also read
   * without an admin endpoint ({@link GossipNode#queues()}). On the node's loop.
   */
  static Map<String, Number> queues(NodeCore core, ApiServer api, LinkManager links) {
    Map<String, Number> queues = new LinkedHashMap<>();
    queues.put("pending_validations", core.pendingValidations());
    queues.put("held_items", core.heldItems());
    queues.put("missing_items", core.missingItems());
    queues.put("awaiting_link_messages", core.awaitingLink());
    queues.put("api_awaiting_verdicts", api.hub().awaitingVerdicts());
    queues.put("link_send_queue_bytes", links.pendingSendBytes());
    return queues;
  }

  private static NodeStatus.Bootstrapper bootstrapper(NodeCore.BootstrapperStatus b) {
    String state = b.reachable() ? "reachable" : b.failedDials() > 0 ? "unreachable" : "unknown";
    return new NodeStatus.Bootstrapper(b.address().toString(), state, b.failedDials(), b.lastError());
  }

  private static List<NodeStatus.PeerEntry> entries(List<Peer> peers) {
    return peers.stream().map(p -> new NodeStatus.PeerEntry(p.id().hex(), p.address().toString())).toList();
  }

  String metrics() {
    return registry.scrape();
  }
}
