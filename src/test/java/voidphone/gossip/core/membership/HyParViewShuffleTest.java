package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;
import voidphone.gossip.core.membership.MembershipMessage.ShuffleReply;

class HyParViewShuffleTest {

  private static List<Peer> peers(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(Peers::peer).toList();
  }

  @Test
  void shuffleTickSendsItselfAndASampleOfBothViewsToANeighbor() {
    Fixture f = new Fixture(MembershipConfig.withDegree(8)).withNeighbors(1, 2, 3, 4, 5);
    f.withPassive(20, 21, 22, 23, 24, 25);

    f.fire(MembershipTimer.SHUFFLE_TICK);

    Shuffle shuffle = f.io.messages(Shuffle.class).getFirst();
    Peer target = f.io.outputs.stream()
        .filter(o -> o instanceof RecordingIo.Sent s && s.message() instanceof Shuffle)
        .map(o -> ((RecordingIo.Sent) o).to())
        .findFirst()
        .orElseThrow();
    assertThat(shuffle.origin()).isEqualTo(f.self);
    assertThat(shuffle.ttl()).isEqualTo(6);
    assertThat(shuffle.entries()).hasSize(1 + 3 + 4).contains(f.self).doesNotContain(target);
    assertThat(shuffle.entries().stream().filter(p -> f.activeIds().contains(p.id()))).hasSize(3);
    assertThat(shuffle.entries().stream().filter(p -> f.passiveIds().contains(p.id()))).hasSize(4);
  }

  @Test
  void shuffleTickSchedulesTheNextWithinTenPercentOfTheInterval() {
    Fixture f = Fixture.small().withNeighbors(1);

    f.fire(MembershipTimer.SHUFFLE_TICK);

    assertThat(f.io.outputs)
        .filteredOn(o -> o instanceof RecordingIo.Scheduled s && s.timer() instanceof MembershipTimer.ShuffleTick)
        .singleElement()
        .satisfies(o -> assertThat(((RecordingIo.Scheduled) o).delayMillis()).isBetween(9_000L, 11_000L));
  }

  @Test
  void shuffleIsForwardedWhileTtlRemains() {
    Fixture f = Fixture.small().withNeighbors(1, 2);

    f.receive(1, new Shuffle(peer(9), 4, peers(30, 32)));

    assertThat(f.io.messagesTo(id(2))).containsExactly(new Shuffle(peer(9), 3, peers(30, 32)));
    assertThat(f.passiveIds()).isEmpty();
  }

  @Test
  void shuffleIsNotForwardedBackToItsOrigin() {
    Fixture f = Fixture.small().withNeighbors(1, 9);

    f.receive(1, new Shuffle(peer(9), 4, peers(30, 32)));

    // the only other neighbour is the origin, so the walk ends here
    assertThat(f.io.messages(Shuffle.class)).isEmpty();
    assertThat(f.io.messagesTo(id(9))).singleElement().isInstanceOf(ShuffleReply.class);
  }

  @Test
  void shuffleEndAnswersTheOriginAndTakesItsEntries() {
    Fixture f = Fixture.small().withNeighbors(1).withPassive(40, 41, 42);

    f.receive(1, new Shuffle(peer(9), 1, peers(30, 32)));

    ShuffleReply reply = (ShuffleReply) f.io.messagesTo(id(9)).getFirst();
    assertThat(reply.entries()).hasSize(3).allSatisfy(p -> assertThat(p.id()).isNotEqualTo(id(9)));
    assertThat(f.passiveIds()).contains(id(30), id(31), id(32));
    assertThat(f.io.disconnected(id(9))).isTrue();
  }

  @Test
  void shuffleEndWithAThinPassiveViewAnswersWithNeighborsToo() {
    Fixture f = Fixture.small().withNeighbors(1, 2, 3);

    f.receive(1, new Shuffle(peer(9), 1, peers(30, 32)));

    ShuffleReply reply = (ShuffleReply) f.io.messagesTo(id(9)).getFirst();
    assertThat(reply.entries()).extracting(Peer::id).containsExactlyInAnyOrder(id(1), id(2), id(3));
  }

  @Test
  void shuffleReplyIntegratesItsEntries() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(50, peers(30, 34));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31), id(32), id(33), id(34));
  }

  @Test
  void shuffleReplyNeverGrowsThePassiveViewBeyondItsCapacity() {
    Fixture f = new Fixture(MembershipConfig.withDegree(4).withPassiveCapacity(10)).withNeighbors(1);
    f.withPassive(IntStream.rangeClosed(100, 109).toArray());
    f.startShuffle();

    f.receiveShuffleReply(50, peers(30, 37));

    assertThat(f.node.passiveView()).hasSize(10);
    assertThat(f.passiveIds()).contains(id(37)); // the last one in stays
  }

  @Test
  void shuffleReplyEvictsTheEntriesWeSentFirst() {
    Fixture f = new Fixture(MembershipConfig.withDegree(4).withPassiveCapacity(10)).withNeighbors(1);
    f.withPassive(IntStream.rangeClosed(100, 109).toArray());
    Shuffle sent = f.startShuffle();
    List<Peer> sentPassive = new ArrayList<>(sent.entries());
    sentPassive.removeIf(p -> !f.passiveIds().contains(p.id()));

    f.receiveShuffleReply(50, peers(30, 33));

    assertThat(sentPassive).hasSize(4);
    assertThat(f.node.passiveView()).doesNotContainAnyElementsOf(sentPassive);
  }

  @Test
  void unsolicitedShuffleReplyIsIgnored() {
    Fixture f = Fixture.small().withNeighbors(1);

    f.receiveShuffleReply(50, peers(30, 34));

    assertThat(f.passiveIds()).isEmpty();
    assertThat(f.io.disconnected(id(50))).isTrue();
  }

  @Test
  void secondShuffleReplyToOneShuffleIsIgnored() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.startShuffle();
    f.receiveShuffleReply(50, peers(30, 31));

    f.receiveShuffleReply(51, peers(32, 33));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31));
  }

  @Test
  void entriesNamingThisNodeAreIgnored() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(50, List.of(peer(30), f.self, peer(31)));

    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31));
  }

  @Test
  void duplicateEntriesAreIgnored() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(50, List.of(peer(30), peer(30), peer(1), peer(31)));

    // 30 once; 1 is a neighbour already
    assertThat(f.passiveIds()).containsExactlyInAnyOrder(id(30), id(31));
  }

  @Test
  void entriesBeyondTheAcceptedCountAreIgnored() {
    Fixture f = Fixture.small().withNeighbors(1);
    f.startShuffle();

    f.receiveShuffleReply(50, peers(30, 59));

    // 1 + ka + kp = 8 entries are taken, in order; the rest is ignored
    assertThat(f.passiveIds()).containsExactlyInAnyOrderElementsOf(
        peers(30, 37).stream().map(Peer::id).toList());
  }

  @Test
  void shuffleFromANonNeighborIsAnsweredWithDisconnect() {
    Fixture f = Fixture.small().withNeighbors(1);

    f.receive(7, new Shuffle(peer(9), 1, peers(30, 32)));

    assertThat(f.io.messagesTo(id(7))).containsExactly(new MembershipMessage.Disconnect(false));
    assertThat(f.passiveIds()).isEmpty();
  }

  @Test
  void shufflesFromOneNeighborBeyondItsAllowanceAreDroppedUnanswered() {
    Fixture f = Fixture.small().withNeighbors(1);
    int burst = 2 * MembershipConfig.SHUFFLES_PER_NEIGHBOR_PER_PERIOD;

    for (int n = 0; n <= burst; n++) {
      f.receive(1, new Shuffle(peer(100 + n), 1, peers(30, 31)));
    }

    assertThat(f.io.messages(ShuffleReply.class)).hasSize(burst);
    assertThat(f.io.messagesTo(id(100 + burst))).isEmpty();
  }

  @Test
  void theShuffleAllowanceRefillsOverTheShufflePeriod() {
    Fixture f = Fixture.small().withNeighbors(1);
    int burst = 2 * MembershipConfig.SHUFFLES_PER_NEIGHBOR_PER_PERIOD;
    for (int n = 0; n < burst; n++) {
      f.receive(1, new Shuffle(peer(100 + n), 1, peers(30, 31)));
    }
    f.io.clear();

    f.advance(MembershipConfig.DEFAULT_SHUFFLE_INTERVAL_MILLIS / MembershipConfig.SHUFFLES_PER_NEIGHBOR_PER_PERIOD);
    f.receive(1, new Shuffle(peer(200), 1, peers(30, 31)));

    assertThat(f.io.messagesTo(id(200))).hasSize(1);
  }

  @Test
  void aNeighborThatShufflesWithoutPauseHoldsNoMoreOfAFullPassiveViewThanItHadWhenItFilled() {
    // passive capacity 24 (degree 4): neighbour 2 names 8 peers once, neighbour 1 keeps shuffling
    Fixture f = Fixture.small().withNeighbors(1, 2);
    f.receive(2, new Shuffle(peer(9), 1, peers(200, 207)));
    for (int round = 0; round < 40; round++) {
      f.advance(MembershipConfig.DEFAULT_SHUFFLE_INTERVAL_MILLIS);
      f.receive(1, new Shuffle(peer(9), 1, peers(1000 + 8 * round, 1007 + 8 * round)));
    }

    assertThat(f.node.passiveView()).hasSize(24);
    assertThat(f.passiveIds()).containsAll(peers(200, 207).stream().map(Peer::id).toList());
  }
}
