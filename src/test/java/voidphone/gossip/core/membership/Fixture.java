package voidphone.gossip.core.membership;

import static voidphone.gossip.core.membership.Peers.peer;

import java.util.List;
import java.util.SplittableRandom;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;
import voidphone.gossip.core.membership.MembershipMessage.ShuffleReply;
import voidphone.gossip.sim.VirtualClock;

/**
 * One node under test (peer 0) with a recording driver, and shortcuts that build its views
 * through protocol inputs only.
 */
final class Fixture {
  final Peer self = peer(0);
  final RecordingIo io = new RecordingIo();
  final MembershipConfig config;
  final HyParView node;
  /** The tests' clock; timers are fired by hand ({@link #fire}), so nothing runs on it. */
  final VirtualClock clock = new VirtualClock(1_000);

  Fixture(MembershipConfig config) {
    this(config, 1);
  }

  Fixture(MembershipConfig config, long seed) {
    this.config = config;
    this.node = new HyParView(self, config, new SplittableRandom(seed), io);
  }

  /** Degree 4, passive 24, everything else at its default. */
  static Fixture small() {
    return new Fixture(MembershipConfig.withDegree(4));
  }

  long now() {
    return clock.now();
  }

  void advance(long millis) {
    clock.advance(millis);
  }

  void receive(Peer from, MembershipMessage message) {
    node.onMessage(from.id(), message, now());
  }

  void receive(int from, MembershipMessage message) {
    receive(peer(from), message);
  }

  void fire(MembershipTimer timer) {
    node.onTimer(timer, now());
  }

  /** Fires the live merge probe timer, as its delay had passed (the clock moves on by it). */
  void fireMergeProbe() {
    RecordingIo.Scheduled live = io.lastMergeProbe;
    advance(live.delayMillis());
    fire(live.timer());
  }

  /** Makes each peer a neighbour: it asked with high priority. Clears the outputs. */
  Fixture withNeighbors(int... peers) {
    for (int n : peers) {
      receive(n, new Neighbor(peer(n).address(), true));
    }
    io.clear();
    return this;
  }

  /** The origin of the shuffles {@link #withPassive} uses to deliver entries. */
  static final int SHUFFLE_ORIGIN = 999;

  /**
   * Puts each peer into the passive view: a neighbour ends a shuffle walk here carrying them.
   * Needs a neighbour; passive entries cause no request by themselves until a tick or a loss.
   * Clears the outputs.
   */
  Fixture withPassive(int... peers) {
    Peer via = node.activeView().getFirst();
    int batch = config.maxEntriesAccepted();
    for (int from = 0; from < peers.length; from += batch) {
      List<Peer> entries = new java.util.ArrayList<>();
      for (int i = from; i < Math.min(peers.length, from + batch); i++) {
        entries.add(peer(peers[i]));
      }
      receive(via, new Shuffle(peer(SHUFFLE_ORIGIN), 1, entries));
    }
    io.clear();
    return this;
  }

  /** Starts a shuffle (a tick) so that one SHUFFLE_REPLY is expected. Clears the outputs. */
  Shuffle startShuffle() {
    fire(MembershipTimer.SHUFFLE_TICK);
    Shuffle sent = io.messages(Shuffle.class).getFirst();
    io.clear();
    return sent;
  }

  void receiveShuffleReply(int from, List<Peer> entries) {
    receive(from, new ShuffleReply(entries));
  }

  List<NodeId> activeIds() {
    return node.activeView().stream().map(Peer::id).toList();
  }

  List<NodeId> passiveIds() {
    return node.passiveView().stream().map(Peer::id).toList();
  }
}
