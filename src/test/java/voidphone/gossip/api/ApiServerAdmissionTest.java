package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ANNOUNCEs held back by the P2P layer, over real sockets: a client that closes loses nothing. */
class ApiServerAdmissionTest {
  private static final int TYPE = 11;
  private static final int ITEMS = 20;

  private final List<String> spread = new CopyOnWriteArrayList<>();
  private final CountDownLatch asked = new CountDownLatch(1);
  private volatile boolean busy = true;

  private final TestServer server =
      TestServer.start(TestServer.DEFAULTS, new Spreader() {
        @Override
        public void spread(int ttl, int dataType, byte[] data) {
          spread.add(new String(data));
        }

        @Override
        public long admissionDelayMillis() {
          asked.countDown();
          return busy ? 5 : 0;
        }
      });

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void announcesSentRightBeforeTheClientClosesAreAllSpreadOnceTheNodeAdmitsThem() throws Exception {
    List<String> items = IntStream.range(0, ITEMS).mapToObj(i -> "item " + i).toList();
    try (TestApiClient announcer = server.client()) {
      items.forEach(item -> announcer.announce(TYPE, item.getBytes()));
    } // closed at once, as a fire-and-forget module (or `gossip announce`) does
    assertThat(asked.await(5, TimeUnit.SECONDS)).as("the first ANNOUNCE was asked to wait").isTrue();
    assertThat(spread).isEmpty();

    busy = false;

    await().until(() -> spread.size() == ITEMS);
    assertThat(spread).containsExactlyElementsOf(items);
    server.awaitConnections(0);
  }

  @Test
  void largeAnnouncesLeftUnreadInTheSocketWhenTheClientClosedAreAllSpreadOnceAdmitted()
      throws Exception {
    // three of the largest items: reading stops after the second, the third waits in the socket
    List<String> items =
        IntStream.range(0, 3).mapToObj(i -> (char) ('a' + i) + ".".repeat(ApiMessage.MAX_DATA - 1)).toList();
    try (TestApiClient announcer = server.client()) {
      items.forEach(item -> announcer.announce(TYPE, item.getBytes()));
    }
    assertThat(asked.await(5, TimeUnit.SECONDS)).as("the first ANNOUNCE was asked to wait").isTrue();

    busy = false;

    await().until(() -> spread.size() == items.size());
    assertThat(spread).containsExactlyElementsOf(items);
  }
}
