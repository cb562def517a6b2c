package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.broadcast.Verdict;

/**
 * ANNOUNCEs the P2P layer asks to wait ({@link Spreader#admissionDelayMillis}): held in order,
 * never dropped, the connection unread while they hold too much, its other messages handled at
 * once. In virtual time.
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

  /** Waiting ANNOUNCEs with one byte less than the limit in all. */
  private static void holdJustBelowTheLimit(FakeClient announcer) {
    announcer.announce(0, TYPE, new byte[ApiMessage.MAX_DATA]);
    announcer.announce(0, TYPE, new byte[ApiHub.HELD_BYTES - ApiMessage.MAX_DATA - 1]);
  }

  @Test
  void theConnectionIsReadOnWhileItsWaitingAnnouncesHoldLessThanTheLimit() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;

    holdJustBelowTheLimit(announcer);

    assertThat(announcer.readingPaused).isFalse();
  }

  @Test
  void theConnectionIsNotReadOnceItsWaitingAnnouncesReachTheLimit() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;

    holdJustBelowTheLimit(announcer);
    announcer.announce(0, TYPE, new byte[1]);

    assertThat(announcer.readingPaused).isTrue();
  }

  @Test
  void theConnectionIsReadAgainOnceItsWaitingAnnouncesAreSpread() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;
    holdJustBelowTheLimit(announcer);
    announcer.announce(0, TYPE, new byte[1]);

    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));

    assertThat(spreader.spread).hasSize(3);
    assertThat(announcer.readingPaused).isFalse();
  }

  @Test
  void anAnnounceWaitsAgainWhenTheSpreaderStillAsksAtTheEndOfTheWait() {
    FakeClient announcer = client("announcer");
    spreader.delayMillis = 50;

    announcer.announce(0, TYPE, "held".getBytes());
    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).isEmpty();

    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).containsExactly("held");
  }

  @Test
  void announcesBehindAWaitingOneAreSpreadAfterItInArrivalOrder() {
    FakeClient announcer = client("announcer");
    FakeClient listener = client("listener").subscribe(TYPE);
    spreader.delayMillis = 50;

    announcer.announce(0, TYPE, "first".getBytes());
    spreader.delayMillis = 0; // the second would not have to wait, but it arrived behind the first
    announcer.announce(0, TYPE, "second".getBytes());
    assertThat(spreader.spread).isEmpty();

    loop.advance(Duration.ofMillis(50));
    assertThat(spreader.spread).containsExactly("first", "second");
    assertThat(listener.received)
        .extracting(n -> new String(n.data()))
        .containsExactly("first", "second");
  }

  @Test
  void aValidationBehindAWaitingAnnounceIsHandledAtOnce() {
    FakeClient module = client("module").subscribe(TYPE);
    List<Verdict> verdicts = new ArrayList<>();
    hub.deliverFromNetwork(TYPE, "from a peer".getBytes(), verdicts::add);
    spreader.delayMillis = 50;

    module.announce(0, TYPE, "its own".getBytes());
    module.validateLast(true);
    loop.runDue();

    assertThat(verdicts).containsExactly(Verdict.VALID);
    assertThat(spreader.spread).isEmpty();
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

    announcer.disconnect();
    spreader.delayMillis = 0;
    loop.advance(Duration.ofMillis(50));

    assertThat(spreader.spread).containsExactly("one", "two");
  }
}
