package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  private static Event event(long time, long seq) {
    return new Event(time, seq, Event.Kind.TIMER, 0, -1, null, null);
  }

  @Test
  void eventsComeOutByTimeThenByTheOrderTheyWereScheduled() {
    SplittableRandom random = new SplittableRandom(Long.getLong("gossip.test.seed", 5));
    EventQueue queue = new EventQueue();
    for (long seq = 0; seq < 20_000; seq++) {
      queue.add(event(random.nextInt(50), seq));
    }
    List<Event> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      out.add(queue.poll());
    }

    assertThat(out).hasSize(20_000);
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i - 1).before(out.get(i))).isTrue();
    }
  }

  @Test
  void pollOfAnEmptyQueueGivesNull() {
    assertThat(new EventQueue().poll()).isNull();
  }
}
