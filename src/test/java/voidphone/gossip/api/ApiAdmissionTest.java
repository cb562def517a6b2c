package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ANNOUNCEs the P2P layer asks to wait ({@link Spreader#admissionDelayMillis}): held in order with
 * what follows them, the connection unread meanwhile, and never dropped. In virtual time.
 */
class ApiAdmissionTest {
  private static final int TYPE = 7;

  /** Spreads into a list; asks every ANNOUNCE to wait {@code delayMillis} while that is positive. */
  private static final class WaitingSpreader implements Spreader {
    final List<String> spread = new ArrayList<>();
    long delayMillis;

    @Override
    public void spread(int ttl, int dataType, byte[] data) {
      spread.add(new String(data));
    }

    @Override
    public long admissionDelayMillis() {
      return delayMillis;
    }
  }

  private final VirtualLoop loop = new VirtualLoop();
  private final WaitingSpreader spreader = new WaitingSpreader();
  private final ApiHub hub = new ApiHub(spreader, loop, Duration.ofSeconds(10));

  private FakeClient client(String name) {
    return FakeClient.connect(name, hub, loop);
  }

  @Test
  void anAnnounceIsSpreadAtOnceWhileTheSpreaderDoesNotAskItToWait() {
    FakeClient announcer = client("announcer");

    announcer.announce(0, TYPE, "now".getBytes());

    assertThat(spreader.spread).containsExactly("now");
    assertThat(announcer.readingPaused).isFalse();
  }

  @Test
  void anAnnounceAskedToWaitIsSpreadOnlyOnceTheWaitIsOver() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 100;

    announcer.announce(0, TYPE, "later".getBytes());
    loop.advance(Duration.ofMillis(99));
    assertThat(spreader.spread).isEmpty();

    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(1));
    assertThat(spreader.spread).containsExactly("later");
  }

  @Test
  void theConnectionIsNotReadWhileItsAnnounceWaitsAndIsReadAgainAfter() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;

    announcer.announce(0, TYPE, "held".getBytes());
    assertThat(announcer.readingPaused).isTrue();

    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));
    assertThat(announcer.readingPaused).isFalse();
  }

  @Test
  void anAnnounceWaitsAgainWhenTheSpreaderStillAsksAtTheEndOfTheWait() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;

    announcer.announce(0, TYPE, "held".getBytes());
    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).isEmpty();
    assertThat(announcer.readingPaused).isTrue();

    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).containsExactly("held");
  }

  @Test
  void messagesBehindAWaitingAnnounceAreHandledAfterItInArrivalOrder() {
    FakeClient announcer = client("announcer");
    FakeClient listener = client("listener").subscribe(TYPE);
    spreader.delayMillis = 50;

    announcer.announce(0, TYPE, "first".getBytes());
    spreader.delayMillis = 0; // the second would not have to wait, but it arrived behind the first
    announcer.subscribe(TYPE + 1);
    announcer.announce(0, TYPE, "second".getBytes());
    assertThat(spreader.spread).isEmpty();
    assertThat(hub.subscriberCount(TYPE + 1)).isZero();

    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).containsExactly("first", "second");
    assertThat(hub.subscriberCount(TYPE + 1)).isOne();
    assertThat(listener.received)
        .extracting(n -> new String(n.data()))
        .containsExactly("first", "second");
  }

  @Test
  void anotherConnectionIsNotHeldUpByOneWhoseAnnounceWaits() {
    FakeClient announcer = client("announcer");
    FakeClient other = client("other");
    spreader.delayMillis = 50;
    announcer.announce(0, TYPE, "held".getBytes());

    other.subscribe(TYPE);

    assertThat(hub.subscriberCount(TYPE)).isOne();
    assertThat(other.readingPaused).isFalse();
  }

  @Test
  void theWaitingAnnouncesOfAConnectionThatClosedAreStillSpread() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;
    announcer.announce(0, TYPE, "one".getBytes());
    announcer.announce(0, TYPE, "two".getBytes());
    announcer.subscribe(TYPE);

    announcer.disconnect();
    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));

    assertThat(spreader.spread).containsExactly("one", "two");
    assertThat(hub.subscriberCount(TYPE)).as("a closed connection subscribes to nothing").isZero();
  }
}
