package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peerAt;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;
import voidphone.gossip.core.membership.MembershipMessage.ShuffleReply;

/**
 * Any sequence of inputs, however unlikely from honest peers, leaves the views within their
 * bounds and the neighbour events in step with the active view.
 */
class HyParViewRandomInputTest {
  /** Override with -Dgossip.test.seed=N to replay one failing sequence. */
  private static final Long SEED = Long.getLong("gossip.test.seed");

  static LongStream seeds() {
    return SEED != null ? LongStream.of(SEED) : LongStream.range(0, 30);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void randomInputsKeepViewsBoundedAndNeighborEventsConsistent(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    MembershipConfig config = MembershipConfig.withDegree(5).withPassiveCapacity(12).withMaxPeersPerSubnet(2);
    Fixture f = new Fixture(config, seed);
    List<Peer> universe = new ArrayList<>();
    for (int n = 1; n <= 40; n++) {
      // four hosts per /24, so the subnet bound is exercised
      universe.add(peerAt(n, "192.0." + (n / 4) + "." + n));
    }
    universe.add(f.self);
    Set<NodeId> up = new HashSet<>();
    int fullest = 0;

    for (int step = 0; step < 2_000; step++) {
      f.advance(random.nextInt(500));
      Peer from = universe.get(random.nextInt(universe.size() - 1));
      switch (random.nextInt(12)) {
        case 0 -> f.receive(from, new Join(from.address()));
        case 1 -> f.receive(from, new ForwardJoin(pick(universe, random), random.nextInt(8)));
        case 2 -> f.receive(from, new Neighbor(from.address(), random.nextBoolean()));
        case 3 -> f.receive(from, new NeighborReply(random.nextBoolean()));
        case 4 -> f.receive(from, new Disconnect(random.nextInt(4) == 0));
        case 5 -> f.receive(from, new Shuffle(pick(universe, random), random.nextInt(8), entries(universe, random)));
        case 6 -> f.receive(from, new ShuffleReply(entries(universe, random)));
        case 7 -> f.node.linkDown(from.id(), f.now());
        case 8 -> f.fire(MembershipTimer.SHUFFLE_TICK);
        case 9 -> fireAScheduledTimeout(f, random);
        case 10 -> f.fire(MembershipTimer.JOIN_RETRY);
        default -> f.node.join(from, f.now());
      }
      track(f.io, up);
      f.io.clear();
      assertInvariants(f, config, up, "seed " + seed + " step " + step);
      fullest = Math.max(fullest, f.node.activeView().size());
    }
    assertThat(fullest).as("the run reached a full active view").isEqualTo(config.activeCapacity());
  }

  private static void fireAScheduledTimeout(Fixture f, SplittableRandom random) {
    List<MembershipTimer.NeighborTimeout> timeouts = f.io.timers(MembershipTimer.NeighborTimeout.class);
    if (!timeouts.isEmpty()) {
      f.fire(timeouts.get(random.nextInt(timeouts.size())));
    } else {
      f.fire(new MembershipTimer.NeighborTimeout(id(random.nextInt(40)), random.nextInt(100)));
    }
  }

  private static Peer pick(List<Peer> universe, SplittableRandom random) {
    return universe.get(random.nextInt(universe.size()));
  }

  private static List<Peer> entries(List<Peer> universe, SplittableRandom random) {
    List<Peer> entries = new ArrayList<>();
    int count = random.nextInt(MembershipMessage.MAX_ENTRIES + 1);
    for (int i = 0; i < count; i++) {
      entries.add(pick(universe, random));
    }
    return entries;
  }

  private static void track(RecordingIo io, Set<NodeId> up) {
    for (RecordingIo.Output o : io.outputs) {
      if (o instanceof RecordingIo.Up u) {
        assertThat(up.add(u.peer())).as("neighbourUp twice for %s", u.peer()).isTrue();
      } else if (o instanceof RecordingIo.Down d) {
        assertThat(up.remove(d.peer())).as("neighbourDown without up for %s", d.peer()).isTrue();
      }
    }
  }

  private static void assertInvariants(Fixture f, MembershipConfig config, Set<NodeId> up, String where) {
    List<NodeId> active = f.activeIds();
    List<NodeId> passive = f.passiveIds();
    assertThat(active).as(where).hasSizeLessThanOrEqualTo(config.activeCapacity()).doesNotHaveDuplicates()
        .doesNotContain(f.self.id());
    assertThat(passive).as(where).hasSizeLessThanOrEqualTo(config.passiveCapacity()).doesNotHaveDuplicates()
        .doesNotContain(f.self.id());
    assertThat(passive).as(where + ": views overlap").noneMatch(active::contains);
    assertThat(new HashSet<>(active)).as(where + ": neighbour events").isEqualTo(up);
    assertThat(f.node.pendingRequests()).as(where)
        .isLessThanOrEqualTo(config.activeCapacity() + config.refillParallelism());
    Map<Integer, Integer> perGroup = new HashMap<>();
    for (Peer p : f.node.passiveView()) {
      perGroup.merge(AddressGroup.of(p.address()), 1, Integer::sum);
    }
    assertThat(perGroup.values()).as(where + ": passive entries per /24").allSatisfy(
        count -> assertThat(count).isLessThanOrEqualTo(config.maxPeersPerSubnet()));
  }
}
