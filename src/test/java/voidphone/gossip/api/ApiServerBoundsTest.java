package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every limit of the API server, hit on purpose (docs/API.md, "Bounds"). */
class ApiServerBoundsTest {
  private static final int TYPE = 5;

  @Test
  void aThousandConnectionsAllSubscribedEachGetOneAnnounceExceptTheAnnouncer() {
    int n = 1000;
    List<TestApiClient> clients = new ArrayList<>(n);
    try (TestServer server = TestServer.start()) {
      for (int i = 0; i < n; i++) {
        clients.add(server.client().subscribe(TYPE));
      }
      server.awaitSubscribers(TYPE, n);

      clients.get(0).announce(TYPE, "to all".getBytes());
      for (int i = 1; i < n; i++) {
        assertThat(clients.get(i).readNotification().data()).as("client %d", i).isEqualTo("to all".getBytes());
      }

      // the announcer's first notification is the next item, so it never got its own
      clients.get(1).announce(TYPE, "next".getBytes());
      assertThat(clients.get(0).readNotification().data()).isEqualTo("next".getBytes());
    } finally {
      clients.forEach(TestApiClient::close);
    }
  }

  @Test
  void aSubscriberThatStopsReadingIsClosedAndTheOthersKeepReceiving() {
    int sendBuffer = 64 * 1024;
    ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), sendBuffer, 100);
    try (TestServer server = TestServer.start(settings, Spreader.LONE_NODE);
        TestApiClient stalled = TestApiClient.connect(server.address(), 4096).subscribe(TYPE);
        TestApiClient healthy = server.client().subscribe(TYPE);
        TestApiClient announcer = server.client()) {
      server.awaitSubscribers(TYPE, 2);
      byte[] item = new byte[60_000];

      int sent = 0;
      // the stalled client's kernel buffers fill first; then the server queues up to the limit
      while (server.onLoop(hub -> hub.subscriberCount(TYPE)) == 2) {
        assertThat(sent).as("stalled client still open after %d bytes", (long) sent * item.length)
            .isLessThan(2_000);
        item[0] = (byte) sent++;
        announcer.announce(TYPE, item);
        // paced by the healthy reader, so only the stalled one can fall behind
        assertThat(healthy.readNotification().data()[0]).isEqualTo(item[0]);
      }

      stalled.drainUntilClosedByServer();
      announcer.announce(TYPE, "after".getBytes());
      assertThat(healthy.readNotification().data()).isEqualTo("after".getBytes());
      server.awaitConnections(2);
    }
  }

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnce() {
    ApiSettings settings = new ApiSettings(Duration.ofSeconds(10), 4 << 20, 3);
    try (TestServer server = TestServer.start(settings, Spreader.LONE_NODE);
        TestApiClient a = server.client().subscribe(TYPE);
        TestApiClient b = server.client();
        TestApiClient c = server.client()) {
      server.awaitConnections(3);

      try (TestApiClient refused = server.client()) {
        refused.assertClosedByServer();
      }
      assertThat(server.<Integer>onLoop(ApiHub::connectionCount)).isEqualTo(3);

      b.announce(TYPE, "admitted ones still work".getBytes());
      assertThat(a.readNotification().data()).isEqualTo("admitted ones still work".getBytes());

      c.close();
      server.awaitConnections(2);
      try (TestApiClient later = server.client().subscribe(TYPE)) {
        server.awaitSubscribers(TYPE, 2);
      }
    }
  }
}
