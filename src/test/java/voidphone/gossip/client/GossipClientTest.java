package voidphone.gossip.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.TestNetwork;

/** The client against one real node: local delivery, restarts, bounds and argument checks. */
class GossipClientTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);
  /** Reconnect quickly, so that a restart is noticed and healed within the test's patience. */
  private static final Options FAST = Options.defaults().withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

  @TempDir Path dir;

  private GossipNode node;
  private final List<GossipClient> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startNode() {
    node = TestNode.start(dir, 0);
  }

  @AfterEach
  void stop() {
    clients.forEach(GossipClient::close);
    if (node != null) node.close();
  }

  private GossipClient connect(Options options) throws Exception {
    GossipClient client = GossipClient.connect(TestNode.api(node), options);
    clients.add(client);
    return client;
  }

  @Test
  void anAnnounceReachesAnotherModuleOfTheSameNode() throws Exception {
    Received received = new Received();
    GossipClient subscriber = connect(FAST);
    subscriber.subscribe(9, received.answering(Verdict.VALID));
    TestNetwork.awaitSubscribed(node, 9);

    connect(FAST).announce(9, 1, Received.bytes("hello"));

    await().atMost(PATIENCE).until(() -> received.contains("hello"));
  }

  @Test
  void afterTheNodeRestartsTheClientReconnectsResubscribesAndNotificationsResume() throws Exception {
    List<ConnectionState> states = new CopyOnWriteArrayList<>();
    Received received = new Received();
    GossipClient subscriber = connect(FAST.withListener((state, cause) -> states.add(state)));
    subscriber.subscribe(7, received.answering(Verdict.VALID));
    GossipClient announcer = connect(FAST);
    TestNetwork.awaitSubscribed(node, 7);
    announcer.announce(7, 0, Received.bytes("before"));
    await().atMost(PATIENCE).until(() -> received.contains("before"));

    int port = node.apiAddress().getPort();
    node.close();
    await().atMost(PATIENCE).until(() -> subscriber.state() == ConnectionState.DISCONNECTED);
    node = TestNode.start(dir, port);

    // NOTIFY has no reply: the new node's hub is where the re-subscription shows
    TestNetwork.awaitSubscribed(node, 7);
    await().atMost(PATIENCE).until(() -> announcer.state() == ConnectionState.CONNECTED);
    announcer.announce(7, 0, Received.bytes("after"));
    await().atMost(PATIENCE).until(() -> received.contains("after"));
    assertThat(states).containsExactly(ConnectionState.CONNECTED, ConnectionState.DISCONNECTED, ConnectionState.CONNECTED);
  }

  @Test
  void announcesQueuedWhileDisconnectedAreSentOnceTheNodeIsBack() throws Exception {
    Received received = new Received();
    GossipClient subscriber = connect(FAST);
    subscriber.subscribe(8, received.answering(Verdict.VALID));
    // the announcer comes back much later than the subscriber, so the node knows the subscription
    GossipClient announcer = connect(FAST.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(2)));
    int port = node.apiAddress().getPort();
    node.close();
    await().atMost(PATIENCE).until(() -> announcer.state() == ConnectionState.DISCONNECTED);

    announcer.announce(8, 0, Received.bytes("queued"));
    node = TestNode.start(dir, port);
    TestNetwork.awaitSubscribed(node, 8);

    await().atMost(PATIENCE).until(() -> received.contains("queued"));
  }

  @Test
  void aFullAnnounceQueueThrowsOnceTheTimeoutPasses() throws Exception {
    GossipClient client = connect(FAST.withBackoff(Duration.ofMinutes(1), Duration.ofMinutes(1))
        .withAnnounceQueue(Options.MAX_FRAME, Duration.ofMillis(100)));
    int port = node.apiAddress().getPort();
    node.close();
    node = null;
    await().atMost(PATIENCE).until(() -> client.state() == ConnectionState.DISCONNECTED);
    byte[] item = new byte[1000]; // 1008 bytes as a frame: 65 fit in 65,535 bytes
    for (int i = 0; i < 65; i++) {
      client.announce(1, 0, item);
    }

    assertThatThrownBy(() -> client.announce(1, 0, item))
        .isInstanceOf(AnnounceQueueFullException.class)
        .hasMessage("announce queue full: 65520 of 65535 bytes waiting for 100 ms (not connected to gossip API at 127.0.0.1:"
            + port + ")");
  }

  @Test
  void beyondThePendingVerdictBoundNoNotificationIsHandledUntilOneIsAnswered() throws Exception {
    List<CompletableFuture<Verdict>> verdicts = new CopyOnWriteArrayList<>();
    GossipClient subscriber = connect(FAST.withMaxPendingVerdicts(2));
    subscriber.subscribeAsync(5, n -> {
      CompletableFuture<Verdict> later = new CompletableFuture<>();
      verdicts.add(later);
      return later;
    });
    TestNetwork.awaitSubscribed(node, 5);
    GossipClient announcer = connect(FAST);
    for (String text : List.of("one", "two", "three")) {
      announcer.announce(5, 0, Received.bytes(text));
    }

    await().atMost(PATIENCE).until(() -> verdicts.size() == 2);
    // the third is on the socket; it must stay unread while both slots are taken
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> verdicts.size() == 2);
    assertThat(subscriber.pendingVerdicts()).isEqualTo(2);
    verdicts.get(0).complete(Verdict.VALID);

    await().atMost(PATIENCE).until(() -> verdicts.size() == 3);
  }

  @Test
  void withReconnectOffALostConnectionClosesTheClientAndSaysWhy() throws Exception {
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    GossipClient client = connect(FAST.withReconnect(false).withListener((state, cause) -> {
      if (state == ConnectionState.CLOSED) causes.add(cause);
    }));
    int port = node.apiAddress().getPort();
    node.close();
    node = null;

    await().atMost(PATIENCE).until(() -> client.state() == ConnectionState.CLOSED);
    assertThat(causes).singleElement().extracting(Throwable::getMessage)
        .isEqualTo("gossip API at 127.0.0.1:" + port + " closed the connection");
    assertThatThrownBy(() -> client.announce(1, 0, Received.bytes("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("client of gossip API at 127.0.0.1:" + port + " is closed: gossip API at 127.0.0.1:" + port
            + " closed the connection");
  }

  @Test
  void aClosedClientRefusesToAnnounce() throws Exception {
    GossipClient client = connect(FAST);
    client.close();

    assertThatThrownBy(() -> client.announce(1, 0, Received.bytes("x")))
        .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("is closed: close() was called");
  }

  @Test
  void aClosedClientRefusesToSubscribe() throws Exception {
    GossipClient client = connect(FAST);
    client.close();

    assertThatThrownBy(() -> client.subscribe(1, n -> Verdict.VALID))
        .isInstanceOf(IllegalStateException.class).hasMessageEndingWith("is closed: close() was called");
  }

  @Test
  void aSecondHandlerForOneTypeIsRefused() throws Exception {
    GossipClient client = connect(FAST);
    client.subscribe(4, n -> Verdict.VALID);

    assertThatThrownBy(() -> client.subscribe(4, n -> Verdict.INVALID))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("data type 4 already has a handler; one handler per type");
  }

  @ParameterizedTest(name = "type {0}, ttl {1}, {2} bytes")
  @CsvSource(delimiter = '|', textBlock = """
      65536 | 0   | 1     | data type 65536 is outside 0..65535
      -1    | 0   | 1     | data type -1 is outside 0..65535
      1     | 256 | 1     | ttl 256 is outside 0..255 (0 = unlimited)
      1     | -1  | 1     | ttl -1 is outside 0..255 (0 = unlimited)
      1     | 0   | 0     | data has 0 bytes; an item has 1..65527
      1     | 0   | 65528 | data has 65528 bytes; an item has 1..65527
      """)
  void anAnnounceOutOfRangeIsRejected(int type, int ttl, int size, String message) throws Exception {
    GossipClient client = connect(FAST);

    assertThatThrownBy(() -> client.announce(type, ttl, new byte[size]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @Test
  void aSubscriptionToATypeOutOfRangeIsRejected() throws Exception {
    GossipClient client = connect(FAST);

    assertThatThrownBy(() -> client.subscribe(70000, n -> Verdict.VALID))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("data type 70000 is outside 0..65535");
  }

  @Test
  void theLargestItemIsAccepted() throws Exception {
    Received received = new Received();
    GossipClient subscriber = connect(FAST);
    subscriber.subscribe(6, received.answering(Verdict.VALID));
    TestNetwork.awaitSubscribed(node, 6);

    connect(FAST).announce(6, 0, new byte[65527]);

    await().atMost(PATIENCE).until(() -> received.size() == 1);
  }

  @Test
  void connectingWhereNothingListensIsAConnectExceptionNamingTheAddress() throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort(); // free again once closed
    }

    assertThatThrownBy(() -> GossipClient.connect(new InetSocketAddress("127.0.0.1", port)))
        .isInstanceOf(ConnectException.class)
        .hasMessage("cannot connect to gossip API at 127.0.0.1:" + port + ": Connection refused");
  }

  @Test
  void portZeroIsRejectedBeforeConnecting() {
    assertThatThrownBy(() -> GossipClient.connect(new InetSocketAddress("127.0.0.1", 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cannot connect to gossip API at 127.0.0.1:0: port 0 is not a real port");
  }

  @Test
  void anAnnounceQueueSmallerThanTheLargestMessageIsRejected() {
    assertThatThrownBy(() -> Options.defaults().withAnnounceQueue(65534, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("announceQueueBytes 65534 is below 65535: the largest announce would never fit");
  }
}
