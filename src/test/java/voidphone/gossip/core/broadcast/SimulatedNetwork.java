package voidphone.gossip.core.broadcast;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.sim.VirtualClock;

/**
 * A small deterministic network of Plumtree cores for tests: virtual time ({@link VirtualClock}), one fixed latency per
 * link (so each link is FIFO, like the TCP links of the runtime), every message through the codec.
 * Local subscribers are modelled by a verdict function answered a fixed delay after delivery.
 */
final class SimulatedNetwork {

  record Delivery(NodeId node, ItemId id, NodeId from, int hops, long at) {}

  private record Link(NodeId a, NodeId b) {
    static Link of(NodeId x, NodeId y) {
      return x.compareTo(y) < 0 ? new Link(x, y) : new Link(y, x);
    }
  }

  private final BroadcastConfig config;
  private final SplittableRandom random;
  private final Map<NodeId, Plumtree> cores = new LinkedHashMap<>();
  private final Set<NodeId> crashed = new HashSet<>();
  private final Map<Link, Long> latency = new HashMap<>();
  private final Map<NodeId, Set<NodeId>> adjacency = new LinkedHashMap<>();
  private final VirtualClock clock = new VirtualClock();
  private final List<Delivery> deliveries = new ArrayList<>();
  private final List<CoreHarness.Penalty> penalties = new ArrayList<>();

  /** Each node's verdict on each item it delivers; VALID unless a test says otherwise. */
  BiFunction<NodeId, ItemId, Verdict> verdicts = (node, id) -> Verdict.VALID;

  long validationDelayMillis = 1;

  SimulatedNetwork(BroadcastConfig config, long seed) {
    this.config = config;
    this.random = new SplittableRandom(seed);
  }

  NodeId addNode() {
    int n = cores.size() + 1;
    NodeId id = new NodeId((long) n << 32, 0, 1, n); // shortHex shows the top 32 bits: 0000000n
    cores.put(id, new Plumtree(id, config, random.split(), new NodeIo(id)));
    adjacency.put(id, new HashSet<>());
    return id;
  }

  List<NodeId> addNodes(int n) {
    List<NodeId> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(addNode());
    }
    return ids;
  }

  void link(NodeId a, NodeId b, long latencyMillis) {
    latency.put(Link.of(a, b), latencyMillis);
    adjacency.get(a).add(b);
    adjacency.get(b).add(a);
    cores.get(a).neighborUp(b);
    cores.get(b).neighborUp(a);
  }

  /** Links {@code a} and {@code b} with a latency drawn uniformly from 1..maxLatency ms. */
  void linkRandomLatency(NodeId a, NodeId b, int maxLatencyMillis) {
    link(a, b, 1 + random.nextInt(maxLatencyMillis));
  }

  /** The node stops; each neighbour learns at once that its link is gone. */
  void crash(NodeId node) {
    crashed.add(node);
    for (NodeId peer : adjacency.get(node)) {
      adjacency.get(peer).remove(node);
      latency.remove(Link.of(node, peer));
      cores.get(peer).neighborDown(node);
    }
    adjacency.get(node).clear();
  }

  ItemId broadcast(NodeId origin, int ttl, byte[] data) {
    return cores.get(origin).broadcast(ttl, 7, data, clock.now());
  }

  /** Runs until nothing is in flight; fails if that takes more than {@code maxEvents} events. */
  void runUntilQuiet(int maxEvents) {
    runUntil(Long.MAX_VALUE, maxEvents);
  }

  /** Runs every event due in the next {@code millis}, then sets the clock to the end of that span. */
  void runFor(long millis, int maxEvents) {
    long end = clock.now() + millis;
    runUntil(end, maxEvents);
    clock.runUntil(end);
  }

  private void runUntil(long end, int maxEvents) {
    int processed = 0;
    while (clock.runNext(end)) {
      if (++processed > maxEvents) {
        throw new AssertionError("network still busy after " + maxEvents + " events");
      }
    }
  }

  /** Runs {@code input} on {@code node}'s core after {@code delayMillis}, unless it has crashed. */
  private void at(long delayMillis, NodeId node, Consumer<Plumtree> input) {
    clock.after(delayMillis, () -> {
      if (!crashed.contains(node)) {
        input.accept(cores.get(node));
      }
    });
  }

  private static BroadcastMessage decode(byte[] frame) {
    try {
      return BroadcastCodec.decode(ByteBuffer.wrap(frame));
    } catch (MalformedBroadcastException e) {
      throw new AssertionError("a core sent a frame the codec cannot read back", e);
    }
  }

  Plumtree core(NodeId node) {
    return cores.get(node);
  }

  List<NodeId> nodes() {
    return List.copyOf(cores.keySet());
  }

  List<NodeId> liveNodes() {
    return cores.keySet().stream().filter(n -> !crashed.contains(n)).toList();
  }

  Set<NodeId> neighbors(NodeId node) {
    return Set.copyOf(adjacency.get(node));
  }

  List<Delivery> deliveries() {
    return deliveries;
  }

  List<Delivery> deliveriesOf(ItemId id) {
    return deliveries.stream().filter(d -> d.id().equals(id)).toList();
  }

  List<CoreHarness.Penalty> penalties() {
    return penalties;
  }

  long sum(BroadcastCounter counter) {
    return cores.values().stream().mapToLong(c -> c.stats().get(counter)).sum();
  }

  long now() {
    return clock.now();
  }

  /** The sink of one node: turns its outputs into future events. */
  private final class NodeIo implements BroadcastIo {
    private final NodeId self;

    NodeIo(NodeId self) {
      this.self = self;
    }

    @Override
    public void send(NodeId peer, BroadcastMessage message) {
      Long delay = latency.get(Link.of(self, peer));
      if (delay == null) {
        throw new AssertionError(self + " sent " + message + " to " + peer + ", which is no neighbour");
      }
      byte[] frame = BroadcastCodec.encode(message);
      at(delay, peer, core -> core.receive(self, decode(frame), clock.now()));
    }

    @Override
    public void schedule(long delayMillis, BroadcastTimer timer) {
      at(delayMillis, self, core -> core.timerFired(timer, clock.now()));
    }

    @Override
    public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
      deliveries.add(new Delivery(self, id, from, hops, clock.now()));
      at(validationDelayMillis, self, core -> core.validated(id, verdicts.apply(self, id), clock.now()));
    }

    @Override
    public boolean penalize(NodeId peer, Reputation.Offence why) {
      penalties.add(new CoreHarness.Penalty(peer, why));
      return false; // scores and bans are NodeCore's; this network only records the penalties
    }
  }
}
