package voidphone.gossip.core.broadcast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;

/**
 * One Plumtree core wired to a recording sink and a virtual clock: tests feed inputs by hand and
 * read what came out. Timers fire only when the test advances the clock past them.
 */
final class CoreHarness implements BroadcastIo {
  static final NodeId SELF = node(1000);

  record Sent(NodeId peer, BroadcastMessage message) {}

  record Delivered(ItemId id, int dataType, byte[] data, NodeId from, int hops) {}

  record Penalty(NodeId peer, Reputation.Offence why) {}

  private record Due(long at, long seq, BroadcastTimer timer) {}

  final Plumtree core;
  final List<Sent> sent = new ArrayList<>();
  final List<Delivered> delivered = new ArrayList<>();
  final List<Penalty> penalties = new ArrayList<>();
  private final PriorityQueue<Due> timers =
      new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::seq));
  private final SplittableRandom random;
  private long seq;
  private long now;
  /** Called for every delivery, after it is recorded; lets a test answer from inside deliver(). */
  Consumer<Delivered> onDeliver = d -> {};

  CoreHarness(BroadcastConfig config) {
    this(config, 1);
  }

  CoreHarness(BroadcastConfig config, long seed) {
    this.random = new SplittableRandom(seed);
    this.core = new Plumtree(SELF, config, new SplittableRandom(seed + 1), this);
  }

  static NodeId node(int n) {
    return new NodeId((long) n << 32, 0, 0, n); // shortHex shows the top 32 bits: n in hex
  }

  long now() {
    return now;
  }

  /** Moves the clock forward by {@code millis}, firing every timer that falls due on the way. */
  void advance(long millis) {
    long until = now + millis;
    while (!timers.isEmpty() && timers.peek().at() <= until) {
      Due due = timers.poll();
      now = due.at();
      core.timerFired(due.timer(), now);
    }
    now = until;
  }

  /** Announces {@code n} small local items now, each with different data. */
  void broadcastMany(int n) {
    for (int i = 0; i < n; i++) {
      core.broadcast(0, 1, new byte[] {(byte) i}, now);
    }
  }

  void receive(NodeId from, BroadcastMessage message) {
    core.receive(from, message, now);
  }

  void validated(ItemId id, Verdict verdict) {
    core.validated(id, verdict, now);
  }

  /** A well-formed GOSSIP of a new item announced by {@code origin}. */
  Gossip gossip(NodeId origin, int ttl, int hops, String text) {
    byte[] data = text.getBytes(StandardCharsets.UTF_8);
    long nonce = random.nextLong();
    return new Gossip(ItemId.of(origin, nonce, 7, data), origin, nonce, ttl, hops, 7, data);
  }

  List<BroadcastMessage> sentTo(NodeId peer) {
    return sent.stream().filter(s -> s.peer().equals(peer)).map(Sent::message).toList();
  }

  <M extends BroadcastMessage> List<M> sentOfKind(Class<M> kind) {
    return sent.stream().map(Sent::message).filter(kind::isInstance).map(kind::cast).toList();
  }

  <M extends BroadcastMessage> List<M> sentOfKindTo(NodeId peer, Class<M> kind) {
    return sentTo(peer).stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  void clearOutputs() {
    sent.clear();
    delivered.clear();
    penalties.clear();
  }

  long count(BroadcastCounter counter) {
    return core.stats().get(counter);
  }

  @Override
  public void send(NodeId peer, BroadcastMessage message) {
    sent.add(new Sent(peer, message));
  }

  @Override
  public void schedule(long delayMillis, BroadcastTimer timer) {
    timers.add(new Due(now + delayMillis, seq++, timer));
  }

  @Override
  public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
    Delivered d = new Delivered(id, dataType, data, from, hops);
    delivered.add(d);
    onDeliver.accept(d);
  }

  @Override
  public void penalize(NodeId peer, Reputation.Offence why) {
    penalties.add(new Penalty(peer, why));
  }
}
