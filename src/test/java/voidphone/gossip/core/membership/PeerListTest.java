package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static voidphone.gossip.core.membership.Peers.id;
import static voidphone.gossip.core.membership.Peers.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.Peer;

class PeerListTest {

  @Test
  void addingBeyondCapacityFails() {
    PeerList list = new PeerList(2);
    list.add(peer(1), 1);
    list.add(peer(2), 1);

    assertThat(list.isFull()).isTrue();
    assertThatThrownBy(() -> list.add(peer(3), 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void growsPastItsInitialArraysUpToCapacity() {
    PeerList list = new PeerList(100);
    for (int i = 0; i < 100; i++) {
      list.add(peer(i), 0);
    }

    assertThat(list).hasSize(100);
    assertThat(list.containsId(id(99))).isTrue();
  }

  @Test
  void removalMovesTheLastEntryIntoTheGap() {
    PeerList list = new PeerList(4);
    list.add(peer(1), 11);
    list.add(peer(2), 22);
    list.add(peer(3), 33);

    assertThat(list.removeId(id(1))).isEqualTo(peer(1));

    assertThat(list).containsExactly(peer(3), peer(2));
    assertThat(list.groupAt(0)).isEqualTo(33);
    assertThat(list.indexOfId(id(3))).isZero();
  }

  @Test
  void theNewestIsTheLastAddedStillPresentWhateverRemovalsMoved() {
    PeerList list = new PeerList(4);
    list.add(peer(1), 11);
    list.add(peer(2), 22);
    list.add(peer(3), 33);
    list.removeId(id(1)); // moves peer 3 to the front
    list.removeId(id(3));

    assertThat(list.newest()).isEqualTo(peer(2));
    list.add(peer(4), 44);
    assertThat(list.newest()).isEqualTo(peer(4));
  }

  @Test
  void observedGroupsAreCountedAndMoveWithTheirEntry() {
    PeerList list = new PeerList(4);
    list.add(peer(1), 11, 99);
    list.add(peer(2), 22, 77);
    list.add(peer(3), 33, 99);
    list.removeId(id(1)); // moves peer 3 into the gap

    assertThat(list.countObservedGroup(99)).isEqualTo(1);
    assertThat(list.countObservedGroup(77)).isEqualTo(1);
    assertThat(list.countObservedGroup(AddressGroup.EXEMPT)).isZero();
  }

  @Test
  void removingAnAbsentIdReturnsNull() {
    PeerList list = new PeerList(4);
    list.add(peer(1), 0);

    assertThat(list.removeId(id(2))).isNull();
    assertThat(list).hasSize(1);
  }

  @Test
  void countsEntriesPerGroupButNeverTheExemptOne() {
    PeerList list = new PeerList(8);
    list.add(peer(1), 5);
    list.add(peer(2), 5);
    list.add(peer(3), 6);
    list.add(peer(4), AddressGroup.EXEMPT);

    assertThat(list.countGroup(5)).isEqualTo(2);
    assertThat(list.countGroup(AddressGroup.EXEMPT)).isZero();
  }

  @Test
  void sampleReturnsDistinctEntriesWithoutTheExcludedOne() {
    PeerList list = new PeerList(10);
    for (int i = 0; i < 10; i++) {
      list.add(peer(i), 0);
    }
    List<Peer> out = new ArrayList<>();

    list.sample(9, id(4), new SplittableRandom(7), out);

    assertThat(out).hasSize(9).doesNotHaveDuplicates().doesNotContain(peer(4));
  }

  @Test
  void sampleOfMoreThanThereIsReturnsEverything() {
    PeerList list = new PeerList(10);
    for (int i = 0; i < 3; i++) {
      list.add(peer(i), 0);
    }
    List<Peer> out = new ArrayList<>();

    list.sample(8, null, new SplittableRandom(7), out);

    assertThat(out).containsExactlyInAnyOrder(peer(0), peer(1), peer(2));
  }

  @Test
  void randomIndexExceptNeverPicksTheExcludedAndReachesEveryOther() {
    PeerList list = new PeerList(6);
    for (int i = 0; i < 6; i++) {
      list.add(peer(i), 0);
    }
    SplittableRandom random = new SplittableRandom(11);
    java.util.Set<Integer> picked = new java.util.HashSet<>();
    for (int k = 0; k < 500; k++) {
      picked.add(list.randomIndexExcept(id(1), id(4), random));
    }

    assertThat(picked).containsExactlyInAnyOrder(0, 2, 3, 5);
  }

  @Test
  void randomIndexExceptWithNothingLeftGivesMinusOne() {
    PeerList list = new PeerList(4);
    list.add(peer(1), 0);
    list.add(peer(2), 0);

    assertThat(list.randomIndexExcept(id(1), id(2), new SplittableRandom(1))).isEqualTo(-1);
  }

  @Test
  void theSourceWithTheMostEntriesGivesUpItsOldest() {
    PeerList list = new PeerList(8);
    list.add(peer(1), 0, AddressGroup.EXEMPT, id(50));
    list.add(peer(2), 0, AddressGroup.EXEMPT, id(60));
    list.add(peer(3), 0, AddressGroup.EXEMPT, id(50));
    list.add(peer(4), 0, AddressGroup.EXEMPT, id(50));

    int victim = list.indexOfLargestSource(List.of(), new SplittableRandom(1));

    assertThat(list.get(victim)).isEqualTo(peer(1));
    assertThat(list.countSource(id(50))).isEqualTo(3);
  }

  @Test
  void aSourceGivesUpAPreferredEntryBeforeItsOldest() {
    PeerList list = new PeerList(8);
    list.add(peer(1), 0, AddressGroup.EXEMPT, id(50));
    list.add(peer(2), 0, AddressGroup.EXEMPT, id(50));
    list.add(peer(3), 0, AddressGroup.EXEMPT, id(60));

    assertThat(list.get(list.indexFromSource(id(50), List.of(peer(3), peer(2))))).isEqualTo(peer(2));
  }

  @Test
  void aRandomPickAmongTheNewestTakesEachOfThemAndNoOlderEntry() {
    PeerList list = new PeerList(8);
    for (int n = 1; n <= 6; n++) {
      list.add(peer(n), 0);
    }
    list.removeId(id(5)); // moves 6 into the gap: the newest three still present are 3, 4 and 6
    SplittableRandom random = new SplittableRandom(3);
    java.util.Set<Peer> picked = new java.util.HashSet<>();

    for (int i = 0; i < 200; i++) {
      picked.add(list.get(list.randomIndexAmongNewest(3, random)));
    }

    assertThat(picked).containsExactlyInAnyOrder(peer(3), peer(4), peer(6));
  }
}
