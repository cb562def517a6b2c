package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.core.broadcast.CoreHarness.node;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/** Validation gates forwarding: only the local subscribers' VALID lets an item spread. */
class PlumtreeValidationTest {
  private static final NodeId SENDER = node(1);
  private static final NodeId EAGER = node(2);
  private static final NodeId LAZY = node(3);
  private static final NodeId ORIGIN = node(99);

  private final CoreHarness h = new CoreHarness(BroadcastConfig.defaults());

  PlumtreeValidationTest() {
    h.core.neighborUp(SENDER);
    h.core.neighborUp(EAGER);
    h.core.neighborUp(LAZY);
    h.receive(LAZY, new Prune());
  }

  @Test
  void newItemIsDeliveredWithItsSenderAndHopCount() {
    Gossip g = h.gossip(ORIGIN, 0, 3, "hello");

    h.receive(SENDER, g);

    assertThat(h.delivered)
        .singleElement()
        .satisfies(d -> {
          assertThat(d.id()).isEqualTo(g.id());
          assertThat(d.dataType()).isEqualTo(g.dataType());
          assertThat(d.data()).isEqualTo(g.data());
          assertThat(d.from()).isEqualTo(SENDER);
          assertThat(d.hops()).isEqualTo(3);
        });
  }

  @Test
  void nothingIsSentBeforeTheVerdict() {
    h.receive(SENDER, h.gossip(ORIGIN, 0, 1, "wait"));
    h.advance(10_000);

    assertThat(h.sent).isEmpty();
  }

  @Test
  void invalidItemPenalizesItsSenderAndIsNeverForwarded() {
    Gossip g = h.gossip(ORIGIN, 0, 1, "bad");
    h.receive(SENDER, g);

    h.validated(g.id(), Verdict.INVALID);
    h.advance(10_000);

    assertThat(h.penalties).containsExactly(new CoreHarness.Penalty(SENDER, Reputation.Offence.INVALID_ITEM));
    assertThat(h.sentOfKind(Gossip.class)).isEmpty();
    assertThat(h.sentOfKind(BroadcastMessage.IHave.class)).isEmpty();
  }

  @Test
  void invalidItemIsNeitherDeliveredNorAnsweredAgain() {
    Gossip g = h.gossip(ORIGIN, 0, 1, "bad");
    h.receive(SENDER, g);
    h.validated(g.id(), Verdict.INVALID);
    h.clearOutputs();

    h.receive(EAGER, g);
    h.receive(LAZY, new Graft(List.of(g.id())));

    assertThat(h.delivered).isEmpty();
    assertThat(h.sentOfKind(Gossip.class)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(value = Verdict.class, names = {"EXPIRED", "UNWANTED"})
  void expiredOrUnwantedItemIsDroppedSilently(Verdict verdict) {
    Gossip g = h.gossip(ORIGIN, 0, 1, "meh");
    h.receive(SENDER, g);

    h.validated(g.id(), verdict);
    h.advance(10_000);
    h.receive(EAGER, g);

    assertThat(h.penalties).isEmpty();
    assertThat(h.sentOfKind(Gossip.class)).isEmpty();
    assertThat(h.sentOfKind(BroadcastMessage.IHave.class)).isEmpty();
    assertThat(h.delivered).hasSize(1);
  }

  @Test
  void graftWhileTheVerdictIsPendingIsNotAnswered() {
    Gossip g = h.gossip(ORIGIN, 0, 1, "pending");
    h.receive(SENDER, g);

    h.receive(LAZY, new Graft(List.of(g.id())));

    assertThat(h.sentOfKind(Gossip.class)).isEmpty();
    assertThat(h.count(BroadcastCounter.GRAFTS_UNANSWERED)).isEqualTo(1);
  }

  @Test
  void verdictGivenFromInsideDeliverIsHonoured() {
    h.onDeliver = d -> h.validated(d.id(), Verdict.VALID);

    h.receive(SENDER, h.gossip(ORIGIN, 0, 1, "fast"));

    assertThat(h.sentOfKindTo(EAGER, Gossip.class)).hasSize(1);
  }

  @Test
  void secondVerdictForTheSameItemChangesNothing() {
    Gossip g = h.gossip(ORIGIN, 0, 1, "once");
    h.receive(SENDER, g);
    h.validated(g.id(), Verdict.VALID);
    h.clearOutputs();

    h.validated(g.id(), Verdict.INVALID);
    h.validated(g.id(), Verdict.VALID);

    assertThat(h.penalties).isEmpty();
    assertThat(h.sent).isEmpty();
  }

  @Test
  void forgedIdIsPenalizedAndDoesNotBlockTheGenuineItem() {
    Gossip genuine = h.gossip(ORIGIN, 0, 1, "genuine");
    Gossip forged =
        new Gossip(genuine.id(), genuine.origin(), genuine.nonce(), 0, 1, genuine.dataType(),
            "forged".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    h.receive(SENDER, forged);
    h.receive(EAGER, genuine);

    assertThat(h.penalties).containsExactly(new CoreHarness.Penalty(SENDER, Reputation.Offence.FORGED_ITEM));
    assertThat(h.delivered).singleElement().satisfies(d -> assertThat(d.from()).isEqualTo(EAGER));
    assertThat(h.count(BroadcastCounter.FORGED_IDS)).isEqualTo(1);
  }

  @Test
  void pendingValidationsAreBoundedAndAnOverflowingItemCanArriveAgainLater() {
    CoreHarness small = new CoreHarness(BroadcastConfig.defaults().withMaxPendingValidations(2));
    small.core.neighborUp(SENDER);
    Gossip first = small.gossip(ORIGIN, 0, 1, "1");
    Gossip overflow = small.gossip(ORIGIN, 0, 1, "3");
    small.receive(SENDER, first);
    small.receive(SENDER, small.gossip(ORIGIN, 0, 1, "2"));

    small.receive(SENDER, overflow);
    assertThat(small.delivered).hasSize(2);
    assertThat(small.count(BroadcastCounter.PENDING_OVERFLOWS)).isEqualTo(1);

    small.validated(first.id(), Verdict.VALID);
    small.receive(SENDER, overflow);
    assertThat(small.delivered).hasSize(3).last().extracting(CoreHarness.Delivered::id).isEqualTo(overflow.id());
  }
}
