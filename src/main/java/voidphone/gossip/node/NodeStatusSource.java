package voidphone.gossip.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import voidphone.gossip.admin.NodeStatus;
import voidphone.gossip.api.ApiServer;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.core.broadcast.BroadcastStats;
import voidphone.gossip.link.LinkManager;

/**
 * What the admin endpoint shows of a node: the {@code /status} snapshot and the {@code /metrics}
 * registry. Called on the node's loop, like everything that reads node state.
 */
final class NodeStatusSource {
  private final NodeId id;
  private final ApiServer api;
  private final PeerService peers;
  private final LinkManager links;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  NodeStatusSource(NodeId id, ApiServer api, PeerService peers, LinkManager links) {
    this.id = id;
    this.api = api;
    this.peers = peers;
    this.links = links;
    gauge("gossip_active_view_size", "Peers in the active view", s -> s.peers.activeView().size());
    gauge("gossip_passive_view_size", "Peers in the passive view", s -> s.peers.passiveView().size());
    gauge("gossip_links", "Authenticated peer links", s -> s.links.links().size());
    gauge("gossip_api_connections", "Connected API clients", s -> s.api.hub().connectionCount());
    gauge("gossip_graft_wait_ms", "Learned wait before GRAFTing an item announced by IHAVE",
        s -> s.peers.graftTimeoutMillis());
    gauge("gossip_graft_retry_ms", "Learned wait for a GRAFT's answer before asking the next announcer",
        s -> s.peers.graftRetryMillis());
    for (Map.Entry<String, Long> e : counters().entrySet()) {
      String name = e.getKey();
      FunctionCounter.builder("gossip_" + name, this, s -> s.counters().get(name)).register(registry);
    }
  }

  private void gauge(String name, String help, ToDoubleFunction<NodeStatusSource> value) {
    Gauge.builder(name, this, value).description(help).register(registry);
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

  NodeStatus status() {
    Map<String, Number> counters = new LinkedHashMap<>(counters());
    counters.put("links", links.links().size());
    counters.put("api_connections", api.hub().connectionCount());
    return new NodeStatus(
        id.hex(),
        links.advertised().toString(),
        GossipNode.format(api.localAddress()),
        entries(peers.activeView()),
        entries(peers.passiveView()),
        counters);
  }

  private static List<NodeStatus.PeerEntry> entries(List<Peer> peers) {
    return peers.stream().map(p -> new NodeStatus.PeerEntry(p.id().hex(), p.address().toString())).toList();
  }

  String metrics() {
    return registry.scrape();
  }
}
