package voidphone.gossip.core.broadcast;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.sim.VirtualClock;

/**
 * One Plumtree core wired to a recording sink and the tests' {@link VirtualClock}: tests feed inputs by hand and
 * read what came out. Timers fire only when the test advances the clock past them.
 */
final class CoreHarness implements BroadcastIo {
  static final NodeId SELF = node(1000);

  record Sent(NodeId peer, BroadcastMessage message) {}

  record Delivered(ItemId id, int dataType, byte[] data, NodeId from, int hops) {}

  record Penalty(NodeId peer, Reputation.Offence why) {}

  final Plumtree core;
  final List<Sent> sent = new ArrayList<>();
  final List<Delivered> delivered = new ArrayList<>();
  final List<Penalty> penalties = new ArrayList<>();
  private final VirtualClock clock = new VirtualClock();
  private final SplittableRandom random;
  /** Called for every delivery, after it is recorded; lets a test answer from inside deliver(). */
  Consumer<Delivered> onDeliver = d -> {};
  /** The penalty (counted from 1) that the driver answers with a ban; by default none does. */
  int bansAtPenalty = Integer.MAX_VALUE;

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
    return clock.now();
  }

  /** Moves the clock forward by {@code millis}, firing every timer that falls due on the way. */
  void advance(long millis) {
    clock.advance(millis);
  }

  /** Announces {@code n} small local items now, each with different data. */
  void broadcastMany(int n) {
    for (int i = 0; i < n; i++) {
      core.broadcast(0, 1, new byte[] {(byte) i}, clock.now());
    }
  }

  void receive(NodeId from, BroadcastMessage message) {
    core.receive(from, message, clock.now());
  }

  void validated(ItemId id, Verdict verdict) {
    core.validated(id, verdict, clock.now());
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
    clock.after(delayMillis, () -> core.timerFired(timer, clock.now()));
  }

  @Override
  public void deliver(ItemId id, int dataType, byte[] data, NodeId from, int hops) {
    Delivered d = new Delivered(id, dataType, data, from, hops);
    delivered.add(d);
    onDeliver.accept(d);
  }

  @Override
  public boolean penalize(NodeId peer, Reputation.Offence why) {
    penalties.add(new Penalty(peer, why));
    return penalties.size() >= bansAtPenalty;
  }
}
