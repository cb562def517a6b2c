package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.broadcast.Verdict;

/** The hub's rules, without sockets and in virtual time. */
class ApiHubTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int TYPE = 1337;
  private static final byte[] ITEM = {1, 2, 3};

  private final VirtualLoop loop = new VirtualLoop();
  private final List<String> spread = new ArrayList<>();
  private final ApiHub hub =
      new ApiHub((ttl, type, data) -> spread.add(ttl + "/" + type + "/" + data.length), loop, TIMEOUT);

  private FakeClient client(String name) {
    return FakeClient.connect(name, hub, loop);
  }

  /** Collects verdicts so a test can tell "once" from "twice". */
  private static final class Verdicts implements VerdictListener {
    final List<Verdict> seen = new ArrayList<>();

    @Override
    public void onVerdict(Verdict verdict) {
      seen.add(verdict);
    }
  }

  private Verdicts deliver(int dataType) {
    Verdicts v = new Verdicts();
    hub.deliverFromNetwork(dataType, ITEM, v);
    return v;
  }

  // --- local ANNOUNCE ---

  @Test
  void localAnnounceReachesEveryOtherSubscriberOnceAndNeverTheAnnouncer() {
    FakeClient announcer = client("announcer").subscribe(TYPE);
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);

    announcer.announce(3, TYPE, ITEM);

    assertThat(a.received).singleElement().satisfies(n -> {
      assertThat(n.dataType()).isEqualTo(TYPE);
      assertThat(n.data()).isEqualTo(ITEM);
    });
    assertThat(b.received).hasSize(1);
    assertThat(announcer.received).isEmpty();
  }

  @Test
  void localAnnounceIsSpreadOnceWithItsTtlWhetherOrNotAnyoneSubscribed() {
    FakeClient announcer = client("announcer");

    announcer.announce(7, 42, ITEM);

    assertThat(spread).containsExactly("7/42/3");
  }

  @Test
  void subscribersOfOtherTypesGetNothing() {
    FakeClient announcer = client("announcer");
    FakeClient other = client("other").subscribe(TYPE + 1);

    announcer.announce(0, TYPE, ITEM);
    hub.deliverFromNetwork(TYPE, ITEM, v -> {});

    assertThat(other.received).isEmpty();
  }

  @Test
  void subscribingTwiceToOneTypeStillGivesOneNotificationPerItem() {
    FakeClient announcer = client("announcer");
    FakeClient sub = client("sub").subscribe(TYPE).subscribe(TYPE);

    announcer.announce(0, TYPE, ITEM);

    assertThat(sub.received).hasSize(1);
  }

  @Test
  void oneConnectionMaySubscribeToManyTypes() {
    FakeClient announcer = client("announcer");
    FakeClient sub = client("sub").subscribe(1).subscribe(2);

    announcer.announce(0, 1, ITEM);
    announcer.announce(0, 2, ITEM);

    assertThat(sub.received).extracting(ApiMessage.Notification::dataType).containsExactly(1, 2);
  }

  @Test
  void verdictsOnALocalItemFreeTheirIdsAndChangeNothing() {
    FakeClient announcer = client("announcer");
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    announcer.announce(0, TYPE, ITEM);

    a.validateLast(false);
    b.validateLast(true);

    assertThat(a.session.pendingCount()).isZero();
    assertThat(b.session.pendingCount()).isZero();
    assertThat(spread).hasSize(1);
    assertThat(hub.awaitingVerdicts()).as("its timeout is stopped").isZero();
  }

  @Test
  void unansweredLocalNotificationsAreWithdrawnAfterTheValidationTimeout() {
    FakeClient announcer = client("announcer");
    FakeClient silent = client("silent").subscribe(TYPE);
    announcer.announce(0, TYPE, ITEM);

    loop.advance(TIMEOUT);

    assertThat(silent.session.pendingCount()).isZero();
  }

  // --- subscriptions ---

  @Test
  void subscriptionsVanishWithTheirConnection() {
    FakeClient sub = client("sub").subscribe(TYPE).subscribe(TYPE + 1);
    assertThat(hub.hasSubscribers(TYPE)).isTrue();

    sub.disconnect();

    assertThat(hub.hasSubscribers(TYPE)).isFalse();
    assertThat(hub.hasSubscribers(TYPE + 1)).isFalse();
    assertThat(hub.connectionCount()).isZero();
  }

  @Test
  void aTypeKeepsItsSubscribersWhenOneOfThemLeaves() {
    FakeClient leaving = client("leaving").subscribe(TYPE);
    client("staying").subscribe(TYPE);

    leaving.disconnect();

    assertThat(hub.hasSubscribers(TYPE)).isTrue();
  }

  // --- VALIDATION ids ---

  @Test
  void validationWithAnUnknownIdIsIgnoredAndTheConnectionStaysUsable() {
    FakeClient announcer = client("announcer");
    FakeClient sub = client("sub").subscribe(TYPE);

    sub.validate(4242, true);
    announcer.announce(0, TYPE, ITEM);

    assertThat(sub.closedFor).isNull();
    assertThat(sub.received).hasSize(1);
  }

  @Test
  void validationForAnotherConnectionsIdIsIgnored() {
    FakeClient intruder = client("intruder").subscribe(TYPE + 1);
    FakeClient sub = client("sub").subscribe(TYPE);
    Verdicts v = deliver(TYPE);

    intruder.validate(sub.last().messageId(), false);
    loop.runDue();

    assertThat(v.seen).isEmpty();
    sub.validateLast(true);
    assertThat(v.seen).containsExactly(Verdict.VALID);
  }

  @Test
  void pendingNotificationsOfOneConnectionHaveDistinctIds() {
    FakeClient sub = client("sub").subscribe(TYPE);

    for (int i = 0; i < 1000; i++) {
      deliver(TYPE);
    }

    assertThat(sub.received.stream().map(ApiMessage.Notification::messageId).distinct())
        .hasSize(1000);
  }

  @Test
  void aFreshIdSkipsIdsThatAreStillPendingWhenTheCounterWraps() {
    FakeClient sub = client("sub").subscribe(TYPE);
    for (int i = 0; i < ApiSession.MESSAGE_IDS; i++) {
      deliver(TYPE);
      int id = sub.last().messageId();
      if (id != 1) {
        sub.validate(id, true);
      }
    }

    deliver(TYPE);
    deliver(TYPE);

    List<ApiMessage.Notification> all = sub.received;
    assertThat(all.get(all.size() - 2).messageId()).as("wrapped to the first free id").isZero();
    assertThat(all.getLast().messageId()).as("id 1 is still pending").isEqualTo(2);
  }

  @Test
  void aConnectionWithEveryMessageIdPendingIsClosedAsASlowConsumer() {
    FakeClient hoarder = client("hoarder").subscribe(TYPE);
    FakeClient healthy = client("healthy").subscribe(TYPE);
    for (int i = 0; i < ApiSession.MESSAGE_IDS; i++) {
      deliver(TYPE);
      healthy.validateLast(true);
    }
    assertThat(hoarder.closedFor).isNull();

    Verdicts last = deliver(TYPE);

    assertThat(hoarder.closedFor).contains("65536");
    assertThat(hoarder.received).hasSize(ApiSession.MESSAGE_IDS);
    assertThat(healthy.received).hasSize(ApiSession.MESSAGE_IDS + 1);
    healthy.validateLast(true);
    assertThat(last.seen).containsExactly(Verdict.VALID);
    loop.runDue();
    assertThat(hub.connectionCount()).isEqualTo(1);
  }

  // --- verdicts on items from the network ---

  @Test
  void itemIsValidOnlyOnceEverySubscriberSaidValid() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    Verdicts v = deliver(TYPE);

    a.validateLast(true);
    assertThat(v.seen).isEmpty();
    b.validateLast(true);

    assertThat(v.seen).containsExactly(Verdict.VALID);
  }

  @Test
  void oneInvalidDecidesTheItemWithoutWaitingForTheOthers() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    client("c").subscribe(TYPE);
    Verdicts v = deliver(TYPE);

    a.validateLast(true);
    b.validateLast(false);

    assertThat(v.seen).containsExactly(Verdict.INVALID);
  }

  @Test
  void itemExpiresWhenTheTimeoutPassesBeforeEveryAnswer() {
    FakeClient a = client("a").subscribe(TYPE);
    client("silent").subscribe(TYPE);
    Verdicts v = deliver(TYPE);
    a.validateLast(true);

    loop.advance(TIMEOUT.minusMillis(1));
    assertThat(v.seen).isEmpty();
    loop.advance(Duration.ofMillis(1));

    assertThat(v.seen).containsExactly(Verdict.EXPIRED);
  }

  @Test
  void eachItemExpiresOneTimeoutAfterItWasNotifiedInTheOrderTheyCame() {
    client("silent").subscribe(TYPE);
    Verdicts first = deliver(TYPE);
    loop.advance(Duration.ofSeconds(3));
    Verdicts second = deliver(TYPE);

    loop.advance(Duration.ofSeconds(7));
    assertThat(first.seen).containsExactly(Verdict.EXPIRED);
    assertThat(second.seen).isEmpty();
    loop.advance(Duration.ofSeconds(3).minusMillis(1));
    assertThat(second.seen).isEmpty();
    loop.advance(Duration.ofMillis(1));

    assertThat(second.seen).containsExactly(Verdict.EXPIRED);
  }

  @Test
  void anItemDecidedEarlyDoesNotDelayTheExpiryOfTheNext() {
    FakeClient sub = client("sub").subscribe(TYPE);
    Verdicts answered = deliver(TYPE);
    int firstId = sub.last().messageId();
    loop.advance(Duration.ofSeconds(1));
    Verdicts unanswered = deliver(TYPE);
    sub.validate(firstId, true);

    loop.advance(TIMEOUT);

    assertThat(answered.seen).containsExactly(Verdict.VALID);
    assertThat(unanswered.seen).containsExactly(Verdict.EXPIRED);
  }

  @Test
  void anAnswerAfterExpiryIsAnUnknownIdAndChangesNothing() {
    FakeClient late = client("late").subscribe(TYPE);
    Verdicts v = deliver(TYPE);
    loop.advance(TIMEOUT);

    late.validateLast(true);
    loop.advance(TIMEOUT);

    assertThat(v.seen).containsExactly(Verdict.EXPIRED);
    assertThat(late.session.pendingCount()).isZero();
    assertThat(late.closedFor).isNull();
  }

  @Test
  void itemIsUnwantedWhenNobodySubscribedAndTheVerdictComesAfterTheCall() {
    client("other").subscribe(TYPE + 1);

    Verdicts v = deliver(TYPE);
    assertThat(v.seen).as("not from inside deliverFromNetwork").isEmpty();
    loop.runDue();

    assertThat(v.seen).containsExactly(Verdict.UNWANTED);
  }

  @Test
  void anItemNoNotificationCouldCarryIsRefusedBeforeAnythingIsSent() {
    FakeClient sub = client("sub").subscribe(TYPE);

    assertThatThrownBy(() -> hub.deliverFromNetwork(TYPE, new byte[ApiMessage.MAX_DATA + 1], v -> {}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> hub.deliverFromNetwork(TYPE, new byte[0], v -> {}))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(sub.received).isEmpty();
  }

  @Test
  void aSubscriberThatDisconnectsIsNoLongerWaitedFor() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient leaving = client("leaving").subscribe(TYPE);
    Verdicts v = deliver(TYPE);
    a.validateLast(true);

    leaving.disconnect();

    assertThat(v.seen).containsExactly(Verdict.VALID);
  }

  @Test
  void itemIsUnwantedWhenEveryNotifiedSubscriberLeftWithoutAnswering() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    Verdicts v = deliver(TYPE);

    a.disconnect();
    b.disconnect();

    assertThat(v.seen).containsExactly(Verdict.UNWANTED);
  }

  @Test
  void theListenerHearsExactlyOneVerdictWhateverHappensAfter() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    FakeClient c = client("c").subscribe(TYPE);
    Verdicts v = deliver(TYPE);

    a.validateLast(false);
    b.validateLast(true);
    c.disconnect();
    loop.advance(TIMEOUT.multipliedBy(2));

    assertThat(v.seen).containsExactly(Verdict.INVALID);
  }

  @Test
  void aDecidedItemWithdrawsTheOtherSubscribersIds() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient b = client("b").subscribe(TYPE);
    deliver(TYPE);

    a.validateLast(false);

    assertThat(b.session.pendingCount()).isZero();
    assertThat(hub.awaitingVerdicts()).as("its timeout is stopped").isZero();
  }

  @Test
  void aSlowConsumerBeingClosedGetsNoMoreItemsAndNoLongerCountsAsSubscriber() {
    FakeClient slow = client("slow").subscribe(TYPE);
    hub.dropSlowConsumer(slow.session, "test");

    Verdicts v = deliver(TYPE);
    loop.runDue();

    assertThat(slow.received).isEmpty();
    assertThat(hub.hasSubscribers(TYPE)).isFalse();
    assertThat(v.seen).containsExactly(Verdict.UNWANTED);
  }

  @Test
  void aSlowConsumersPendingItemsAreReleasedWhenItIsGone() {
    FakeClient a = client("a").subscribe(TYPE);
    FakeClient slow = client("slow").subscribe(TYPE);
    Verdicts v = deliver(TYPE);
    a.validateLast(true);

    hub.dropSlowConsumer(slow.session, "test");
    assertThat(v.seen).as("released when the transport reports the close").isEmpty();
    loop.runDue();

    assertThat(v.seen).containsExactly(Verdict.VALID);
  }
}
