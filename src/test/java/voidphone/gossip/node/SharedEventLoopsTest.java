package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;

/**
 * Many nodes on a few shared event loops, as {@code gossip testnet} and the network benchmark run
 * them: each node still lives on one loop of the group, and closing or crashing a node takes
 * everything of it off that loop while the loop, and the other nodes on it, run on. Links run with
 * production timers: a closed or crashed node's sockets close, which its peers notice at once.
 */
class SharedEventLoopsTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final int DEGREE = 3;
  private static final int TYPE = 1;

  private EventLoopGroup loops;
  private final Map<GossipNode, TestModule> modules = new HashMap<>();

  @BeforeEach
  void makeLoops() {
    loops = GossipNode.newEventLoops(2);
  }

  @AfterEach
  void stopLoops() {
    modules.values().forEach(TestModule::close);
    loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private TestNetwork start(int size) throws Exception {
    return TestNetwork.startAsConfigured(size, DEGREE, NodeOptions.production().withEventLoops(loops));
  }

  /** A subscribed module at every live node, subscriptions in place. */
  private void subscribeAll(TestNetwork net) {
    for (GossipNode node : net.alive()) modules.put(node, TestModule.connect(node).subscribe(TYPE));
    for (GossipNode node : net.alive()) TestNetwork.awaitSubscribed(node, TYPE);
  }

  private void announceAndAwaitEverywhere(TestNetwork net, GossipNode origin, String text) {
    try (TestModule announcer = TestModule.connect(origin)) {
      announcer.announce(0, TYPE, text);
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(net.alive()).allSatisfy(node ->
          assertThat(modules.get(node).hasReceived(TYPE, text)).as("module at %s", node.id().shortHex()).isTrue()));
    }
  }

  @Test
  void nodesOnSharedLoopsFormAnOverlayAndAnItemReachesEverySubscriber() throws Exception {
    try (TestNetwork net = start(6)) {
      assertThat(net.alive()).allSatisfy(n -> assertThat(n.loop().parent()).isSameAs(loops));
      subscribeAll(net);
      net.awaitOverlay(PATIENCE);

      announceAndAwaitEverywhere(net, net.alive().get(3), "shared");
    }
  }

  @Test
  void closingANodeLeavesTheSharedLoopsRunningAndTheOtherNodesServing() throws Exception {
    try (TestNetwork net = start(5)) {
      subscribeAll(net);
      net.awaitOverlay(PATIENCE);
      GossipNode leaving = net.alive().get(2);

      net.leave(leaving);

      assertThat(loops.isShuttingDown()).isFalse();
      assertThat(leaving.loop().isShuttingDown()).isFalse();
      net.awaitOverlay(PATIENCE);
      announceAndAwaitEverywhere(net, net.alive().get(1), "after a leave");
    }
  }

  @Test
  void closingANodeOnASharedLoopCancelsItsTimers() throws Exception {
    try (TestNetwork net = start(1)) {
      GossipNode node = net.alive().get(0);
      assertThat(node.scheduledTimers()).as("the timers of a running node").isPositive();

      net.leave(node);

      assertThat(node.scheduledTimers()).isZero();
    }
  }

  @Test
  void closingANodeOnASharedLoopClosesItsClientsAndFreesItsPorts() throws Exception {
    try (TestNetwork net = start(1)) {
      GossipNode node = net.alive().get(0);
      try (Socket client = connect(node.apiAddress())) {
        await().until(() -> node.loop().submit(() -> node.apiHub().connectionCount()).get() == 1);

        net.leave(node);

        assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
        assertBindable(node.apiAddress());
        assertBindable(node.p2pAddress());
        assertThat(node.loop().isShuttingDown()).isFalse();
      }
    }
  }

  @Test
  void crashingANodeOnASharedLoopClosesItsLinksAndItsNeighboursDropIt() throws Exception {
    try (TestNetwork net = start(5)) {
      net.awaitOverlay(PATIENCE);
      GossipNode victim = net.alive().get(2);
      List<GossipNode> neighbours = victim.activeView().stream().map(p -> net.node(p.id())).toList();
      assertThat(neighbours).isNotEmpty();

      net.crash(victim);

      assertThat(loops.isShuttingDown()).isFalse();
      await().atMost(PATIENCE).untilAsserted(() -> assertThat(neighbours).allSatisfy(n ->
          assertThat(ids(n.activeView())).doesNotContain(victim.id())));
    }
  }

  @Test
  void crashingANodeOnASharedLoopCancelsItsTimers() throws Exception {
    try (TestNetwork net = start(1)) {
      GossipNode node = net.alive().get(0);
      assertThat(node.scheduledTimers()).as("the timers of a running node").isPositive();

      net.crash(node);

      assertThat(node.scheduledTimers()).isZero();
      assertThat(node.loop().isShuttingDown()).isFalse();
    }
  }

  @Test
  void aFailedStartOnASharedLoopClosesWhatItOpened() throws Exception {
    int apiPort = freePort();
    try (ServerSocket p2pTaken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      GossipConfig config = GossipConfig.withDefaults(Path.of("(unused: no proof of work)"),
          new HostPort("127.0.0.1", p2pTaken.getLocalPort()), new HostPort("127.0.0.1", apiPort)).with(k -> {
            k.degree = DEGREE;
            k.powDifficulty = 0;
          });

      assertThatThrownBy(() -> GossipNode.start(
          config, HostkeyFile.fromKeyPair(TestKeys.get(0)), NodeOptions.production().withEventLoops(loops)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("p2p_address");

      assertBindable(new InetSocketAddress("127.0.0.1", apiPort)); // the API server it had bound is closed
      assertThat(loops.isShuttingDown()).isFalse();
    }
  }

  private static Set<NodeId> ids(List<Peer> peers) {
    return peers.stream().map(Peer::id).collect(Collectors.toSet());
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(5_000);
    s.connect(address, 5_000);
    return s;
  }

  private static void assertBindable(InetSocketAddress address) throws IOException {
    try (ServerSocket again = new ServerSocket()) {
      again.setReuseAddress(true);
      again.bind(address);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
