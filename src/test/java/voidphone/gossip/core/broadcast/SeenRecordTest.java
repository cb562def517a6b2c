package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The seen record: a set of ids bounded by count that forgets the oldest first. */
class SeenRecordTest {

  /** A record of {@code capacity} that has seen {@code ids}, in that order. */
  private static SeenRecord recordOf(int capacity, long... ids) {
    SeenRecord seen = new SeenRecord(capacity, 1);
    for (long id : ids) {
      seen.add(new ItemId(id));
    }
    return seen;
  }

  @Test
  void remembersEveryIdWhileBelowCapacityAcrossGrowth() {
    SeenRecord seen = new SeenRecord(100_000, 1);
    List<ItemId> ids = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      ItemId id = new ItemId(random.nextLong());
      ids.add(id);
      assertThat(seen.add(id)).isFalse();
    }

    assertThat(ids).allMatch(seen::contains);
    assertThat(seen.size()).isEqualTo(50_000);
  }

  @Test
  void forgetsTheOldestIdWhenFull() {
    SeenRecord seen = recordOf(3, 10, 11, 12);

    assertThat(seen.add(new ItemId(13))).isTrue();
    assertThat(seen.contains(new ItemId(10))).isFalse();
    assertThat(seen.contains(new ItemId(11))).isTrue();
    assertThat(seen.contains(new ItemId(13))).isTrue();
    assertThat(seen.size()).isEqualTo(3);
  }

  @Test
  void addingAnIdAlreadySeenNeitherForgetsNorRefreshesIt() {
    SeenRecord seen = recordOf(2, 1, 2);

    assertThat(seen.add(new ItemId(1))).isFalse();
    seen.add(new ItemId(3));

    assertThat(seen.contains(new ItemId(1))).isFalse();
    assertThat(seen.contains(new ItemId(2))).isTrue();
  }

  @Test
  void idZeroIsRecordedAndForgottenLikeAnyOther() {
    SeenRecord seen = new SeenRecord(2, 1);
    assertThat(seen.contains(new ItemId(0))).isFalse();

    seen.add(new ItemId(0));
    assertThat(seen.contains(new ItemId(0))).isTrue();

    seen.add(new ItemId(5));
    seen.add(new ItemId(6));
    assertThat(seen.contains(new ItemId(0))).isFalse();
  }

  /**
   * Against a reference model, with ids drawn from a small range so that probe runs collide and
   * wrap around the table: every removal must leave the rest findable.
   */
  @Test
  void agreesWithAnInsertionOrderedSetBoundedToTheSameCapacity() {
    SplittableRandom random = new SplittableRandom(11);
    for (int capacity : new int[] {1, 7, 8, 9, 64, 65, 300}) {
      SeenRecord seen = new SeenRecord(capacity, random.nextLong());
      LinkedHashSet<Long> model = new LinkedHashSet<>();
      for (int step = 0; step < 3_000; step++) {
        long v = random.nextLong(-2, 3 * capacity);
        boolean modelEvicted = false;
        if (model.add(v) && model.size() > capacity) {
          Iterator<Long> oldest = model.iterator();
          oldest.next();
          oldest.remove();
          modelEvicted = true;
        }

        assertThat(seen.add(new ItemId(v))).isEqualTo(modelEvicted);
        assertThat(seen.size()).isEqualTo(model.size());
        for (long w = -2; w < 3 * capacity; w++) {
          if (seen.contains(new ItemId(w)) != model.contains(w)) {
            throw new AssertionError("step " + step + ", capacity " + capacity + ": id " + w
                + (model.contains(w) ? " lost" : " kept after it was forgotten"));
          }
        }
      }
    }
  }
}
