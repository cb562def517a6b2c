package voidphone.gossip.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.core.broadcast.BroadcastCounter;
import voidphone.gossip.node.GossipNode;
import voidphone.gossip.node.NodeOptions;
import voidphone.gossip.node.TestNetwork;

/**
 * The client against two real nodes (TLS links and all): a module at the first announces, a
 * module at the second judges. Each test uses its own data type, so they do not see each other's
 * items.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GossipClientNetworkTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private TestNetwork net;
  private GossipNode origin;
  private GossipNode remote;
  private GossipClient announcer;

  @BeforeAll
  void startNetwork() throws Exception {
    net = TestNetwork.startAsConfigured(2, 4, NodeOptions.fastTests());
    net.awaitOverlay(PATIENCE);
    origin = net.alive().get(0);
    remote = net.alive().get(1);
    announcer = GossipClient.connect(TestNode.api(origin));
  }

  @AfterAll
  void stopNetwork() {
    if (announcer != null) announcer.close();
    if (net != null) net.close();
  }

  @Test
  void anAnnounceReachesASubscriberAtAnotherNode() throws Exception {
    Received received = new Received();
    try (GossipClient subscriber = GossipClient.connect(TestNode.api(remote))) {
      subscriber.subscribe(1, received.answering(Verdict.VALID));
      TestNetwork.awaitSubscribed(remote, 1);

      announcer.announce(1, 0, Received.bytes("across"));

      await().atMost(PATIENCE).until(() -> received.contains("across"));
    }
  }

  @Test
  void anInvalidVerdictReachesTheNodeWhichDropsTheItem() throws Exception {
    Received received = new Received();
    Map<BroadcastCounter, Long> before = net.broadcastTotals();
    try (GossipClient subscriber = GossipClient.connect(TestNode.api(remote))) {
      subscriber.subscribe(2, received.answering(Verdict.INVALID));
      TestNetwork.awaitSubscribed(remote, 2);

      announcer.announce(2, 0, Received.bytes("bad"));

      // the remote node counts the item invalid only once our VALIDATION(invalid) arrived
      await().atMost(PATIENCE).until(() -> delta(before, BroadcastCounter.ITEMS_INVALID) == 1);
      assertThat(received.items()).containsExactly("bad");
      // ITEMS_VALID counts the items a node spreads further: this one it did not
      assertThat(delta(before, BroadcastCounter.ITEMS_VALID)).isZero();
    }
  }

  @Test
  void aVerdictCompletedLaterOnAnotherThreadReachesTheNode() throws Exception {
    AtomicReference<CompletableFuture<Verdict>> verdict = new AtomicReference<>();
    Map<BroadcastCounter, Long> before = net.broadcastTotals();
    try (GossipClient subscriber = GossipClient.connect(TestNode.api(remote))) {
      subscriber.subscribeAsync(3, n -> {
        CompletableFuture<Verdict> later = new CompletableFuture<>();
        verdict.set(later);
        return later;
      });
      TestNetwork.awaitSubscribed(remote, 3);
      announcer.announce(3, 0, Received.bytes("later"));
      await().atMost(PATIENCE).until(() -> verdict.get() != null);
      assertThat(subscriber.pendingVerdicts()).isEqualTo(1);

      CompletableFuture.runAsync(() -> verdict.get().complete(Verdict.VALID));

      await().atMost(PATIENCE).until(() -> delta(before, BroadcastCounter.ITEMS_VALID) == 1);
      assertThat(subscriber.pendingVerdicts()).isZero();
    }
  }

  private long delta(Map<BroadcastCounter, Long> before, BroadcastCounter counter) {
    return net.broadcastTotals().getOrDefault(counter, 0L) - before.getOrDefault(counter, 0L);
  }
}
