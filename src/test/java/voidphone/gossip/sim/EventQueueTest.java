package voidphone.gossip.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EventQueueTest {
  private static final long SEED = Long.getLong("gossip.test.seed", 5);

  private static Event event(long time, long seq) {
    return new Event(time, seq, Event.Kind.TIMER, 0, -1, null, null);
  }

  private static void assertOrdered(List<Event> out) {
    for (int i = 1; i < out.size(); i++) {
      assertThat(out.get(i - 1).before(out.get(i))).as("event %d before %d", i - 1, i).isTrue();
    }
  }

  @Test
  void eventsComeOutByTimeThenByTheOrderTheyWereScheduled() {
    SplittableRandom random = new SplittableRandom(SEED);
    EventQueue queue = new EventQueue();
    for (long seq = 0; seq < 20_000; seq++) {
      queue.add(event(random.nextInt(50), seq));
    }
    List<Event> out = new ArrayList<>();
    while (!queue.isEmpty()) {
      out.add(queue.poll());
    }

    assertThat(out).hasSize(20_000);
    assertOrdered(out);
  }

  /** Events scheduled while the clock runs, some beyond the bucket window, like a simulation. */
  @Test
  void eventsBeyondTheWindowKeepTheirOrderWithEventsScheduledLater() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    EventQueue queue = new EventQueue();
    long seq = 0;
    long now = 0;
    for (int i = 0; i < 100; i++) {
      queue.add(event(random.nextInt(3 * EventQueue.WINDOW), seq++));
    }
    List<Event> out = new ArrayList<>();
    while (!queue.isEmpty() && out.size() < 200_000) {
      Event e = queue.poll();
      assertThat(e.time).isGreaterThanOrEqualTo(now);
      now = e.time;
      out.add(e);
      int children = random.nextInt(3); // 0..2 more events per event keeps the queue alive
      for (int k = 0; k < children; k++) {
        long delay = random.nextInt(4) == 0 ? EventQueue.WINDOW + random.nextInt(EventQueue.WINDOW) : random.nextInt(100);
        queue.add(event(now + delay, seq++));
      }
    }

    assertThat(out).hasSizeGreaterThan(1_000);
    assertOrdered(out);
  }

  @Test
  void peekShowsWhatPollReturns() {
    EventQueue queue = new EventQueue();
    queue.add(event(5, 0));
    queue.add(event(3 * EventQueue.WINDOW, 1));
    queue.add(event(5, 2));

    assertThat(queue.peek()).isSameAs(queue.poll());
    assertThat(queue.peek()).isSameAs(queue.poll());
    assertThat(queue.peek().time).isEqualTo(3L * EventQueue.WINDOW);
  }

  @Test
  void eventBeforeTheLastPolledOneIsRefused() {
    EventQueue queue = new EventQueue();
    queue.add(event(100, 0));
    queue.poll();

    assertThatThrownBy(() -> queue.add(event(99, 1))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pollOfAnEmptyQueueGivesNull() {
    assertThat(new EventQueue().poll()).isNull();
  }
}
