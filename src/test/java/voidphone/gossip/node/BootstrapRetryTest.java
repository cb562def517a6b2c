package voidphone.gossip.node;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.Peer;

/** Bootstrapping again once a node has lost every neighbour: no dial may be left without an end. */
class BootstrapRetryTest {
  /** Two sweeps (5 s each) and the first retries, on a busy 2-core machine. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  /**
   * A dial that reaches a peer already linked (here: the second address of one bootstrapper) used to
   * end in silence, its address staying "being dialled" for good, so that the sweep never
   * bootstrapped again once the node had lost its neighbours. The replacement bootstrapper has a
   * new key, so only a bootstrap dial (which expects no identity) can find it: the membership
   * core's own retries go to the old identity.
   */
  @Test
  void aBootstrapperNamedByTwoAddressesDoesNotStopTheNodeFromBootstrappingAgain() throws Exception {
    try (TestNetwork net = new TestNetwork(4, NodeOptions.fastTests())) {
      GossipNode first = net.add(List.of(), 0);
      int port = first.p2pAddress().getPort();
      GossipNode node = net.add(List.of(
          new HostPort("127.0.0.1", port),
          new HostPort("::ffff:127.0.0.1", port)), 0); // the same peer under another name
      await().atMost(PATIENCE).until(() -> ids(node.activeView()).contains(first.id().hex()));

      net.crash(first);
      await().atMost(PATIENCE).until(() -> node.activeView().isEmpty());
      GossipNode replacement = net.add(List.of(), port);

      await().atMost(PATIENCE).until(() -> ids(node.activeView()).contains(replacement.id().hex()));
    }
  }

  private static List<String> ids(List<Peer> view) {
    return view.stream().map(p -> p.id().hex()).toList();
  }
}
