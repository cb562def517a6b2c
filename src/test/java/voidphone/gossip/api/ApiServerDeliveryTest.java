package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.broadcast.Verdict;

/** Who gets which item, and what the verdicts are, over real sockets. */
class ApiServerDeliveryTest {
  private static final int TYPE = 9;
  private static final int OTHER_TYPE = 10;

  private final List<String> spread = new CopyOnWriteArrayList<>();
  private final TestServer server =
      TestServer.start(
          new ApiSettings(Duration.ofMillis(300), 4 << 20, 4096),
          (ttl, type, data) -> spread.add(ttl + "/" + type + "/" + new String(data)));

  @AfterEach
  void stop() {
    server.close();
  }

  private CompletableFuture<Verdict> deliverFromNetwork(int dataType, byte[] data) {
    CompletableFuture<Verdict> verdict = new CompletableFuture<>();
    server.onLoop(hub -> {
      hub.deliverFromNetwork(dataType, data, verdict::complete);
      return null;
    });
    return verdict;
  }

  private static Verdict within5s(CompletableFuture<Verdict> verdict) throws Exception {
    return verdict.get(5, TimeUnit.SECONDS);
  }

  @Test
  void aLocalItemReachesEveryOtherSubscriberExactlyOnceAndNeverTheAnnouncer() {
    try (TestApiClient announcer = server.client().subscribe(TYPE);
        TestApiClient a = server.client().subscribe(TYPE);
        TestApiClient b = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 3);

      announcer.announce(TYPE, "first".getBytes());
      assertThat(a.readNotification().data()).isEqualTo("first".getBytes());
      assertThat(b.readNotification().data()).isEqualTo("first".getBytes());
      b.announce(TYPE, "second".getBytes());

      // notifications arrive in order: had anyone got "first" twice, or the announcer its own,
      // that would come before "second"
      assertThat(announcer.readNotification().data()).isEqualTo("second".getBytes());
      assertThat(a.readNotification().data()).isEqualTo("second".getBytes());
    }
  }

  @Test
  void subscribersOfOtherTypesGetNothing() {
    try (TestApiClient other = server.client().subscribe(OTHER_TYPE);
        TestApiClient announcer = server.client()) {
      server.awaitSubscribers(OTHER_TYPE, 1);

      announcer.announce(TYPE, "not for you".getBytes());
      announcer.announce(OTHER_TYPE, "for you".getBytes());

      ApiMessage.Notification first = other.readNotification();
      assertThat(first.dataType()).isEqualTo(OTHER_TYPE);
      assertThat(first.data()).isEqualTo("for you".getBytes());
    }
  }

  @Test
  void everyLocalAnnounceIsHandedToTheSpreaderWithItsTtl() {
    try (TestApiClient announcer = server.client()) {
      announcer.send(new ApiMessage.Announce(3, TYPE, "x".getBytes()));
      announcer.send(new ApiMessage.Announce(0, TYPE, "x".getBytes()));

      await().untilAsserted(() -> assertThat(spread).containsExactly("3/9/x", "0/9/x"));
    }
  }

  @Test
  void aValidationWithAnUnknownIdIsIgnoredAndTheConnectionStaysUsable() {
    try (TestApiClient sub = server.client();
        TestApiClient announcer = server.client()) {
      sub.send(new ApiMessage.Validation(31337, true)).subscribe(TYPE);
      server.awaitSubscribers(TYPE, 1);

      announcer.announce(TYPE, "still here".getBytes());

      assertThat(sub.readNotification().data()).isEqualTo("still here".getBytes());
    }
  }

  @Test
  void subscriptionsVanishWithTheirConnection() {
    TestApiClient sub = server.client().subscribe(TYPE).subscribe(OTHER_TYPE);
    server.awaitSubscribers(OTHER_TYPE, 1);
    assertThat(server.<Boolean>onLoop(hub -> hub.hasSubscribers(TYPE))).isTrue();

    sub.close();

    await().until(() -> !server.onLoop(hub -> hub.hasSubscribers(TYPE) || hub.hasSubscribers(OTHER_TYPE)));
  }

  @Test
  void aNetworkItemIsValidWhenEverySubscriberSaysValid() throws Exception {
    try (TestApiClient a = server.client().subscribe(TYPE);
        TestApiClient b = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 2);

      CompletableFuture<Verdict> verdict = deliverFromNetwork(TYPE, "peer item".getBytes());
      ApiMessage.Notification na = a.readNotification();
      ApiMessage.Notification nb = b.readNotification();
      assertThat(na.data()).isEqualTo("peer item".getBytes());
      a.send(new ApiMessage.Validation(na.messageId(), true));
      b.send(new ApiMessage.Validation(nb.messageId(), true));

      assertThat(within5s(verdict)).isEqualTo(Verdict.VALID);
    }
  }

  @Test
  void aNetworkItemIsInvalidWhenOneSubscriberSaysInvalid() throws Exception {
    try (TestApiClient a = server.client().subscribe(TYPE);
        TestApiClient b = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 2);

      CompletableFuture<Verdict> verdict = deliverFromNetwork(TYPE, "spam".getBytes());
      ApiMessage.Notification na = a.readNotification();
      a.send(new ApiMessage.Validation(na.messageId(), false));

      assertThat(within5s(verdict)).isEqualTo(Verdict.INVALID);
    }
  }

  @Test
  void aNetworkItemExpiresWhenNoSubscriberAnswersInTime() throws Exception {
    try (TestApiClient silent = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 1);

      CompletableFuture<Verdict> verdict = deliverFromNetwork(TYPE, "ignored".getBytes());
      silent.readNotification();

      assertThat(within5s(verdict)).isEqualTo(Verdict.EXPIRED);
    }
  }

  @Test
  void aNetworkItemNobodySubscribedToIsUnwanted() throws Exception {
    try (TestApiClient other = server.client().subscribe(OTHER_TYPE)) {
      server.awaitSubscribers(OTHER_TYPE, 1);

      assertThat(within5s(deliverFromNetwork(TYPE, "nobody".getBytes()))).isEqualTo(Verdict.UNWANTED);
    }
  }

  @Test
  void aSubscriberThatDisconnectsIsNotWaitedFor() throws Exception {
    try (TestApiClient a = server.client().subscribe(TYPE)) {
      TestApiClient leaving = server.client().subscribe(TYPE);
      server.awaitSubscribers(TYPE, 2);

      CompletableFuture<Verdict> verdict = deliverFromNetwork(TYPE, "item".getBytes());
      ApiMessage.Notification na = a.readNotification();
      a.send(new ApiMessage.Validation(na.messageId(), true));
      leaving.readNotification();
      leaving.close();

      assertThat(within5s(verdict)).isEqualTo(Verdict.VALID);
    }
  }
}
