package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/** Real nodes on loopback: a restarted node rejoins through the peers it knew (its {@code .peers} file). */
class PeerCacheRejoinTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @Test
  void aRestartedNodeRejoinsThroughACachedPeerWhileItsOnlyBootstrapperIsDown() throws Exception {
    try (TestNetwork net = TestNetwork.start(3, 4)) {
      GossipNode a = net.nodes.get(0), b = net.nodes.get(1), c = net.nodes.get(2);
      await().atMost(PATIENCE).until(() -> known(b).contains(c.id()));

      net.leave(a);
      net.leave(b); // a graceful close writes the cache
      assertThat(Files.readString(PeerCacheFile.pathFor(net.hostkeyPath(b)))).contains(c.id().hex());
      GossipNode restarted = net.restart(b); // its config names only a, which is gone

      await().atMost(PATIENCE).until(() -> ids(restarted.activeView()).contains(c.id()));
      await().atMost(PATIENCE).until(() -> ids(c.activeView()).contains(restarted.id()));
    }
  }

  @Test
  void aNodeWithoutBootstrappersRejoinsThroughItsCache() throws Exception {
    try (TestNetwork net = TestNetwork.start(2, 4)) {
      GossipNode a = net.nodes.get(0), b = net.nodes.get(1);
      await().atMost(PATIENCE).until(() -> ids(b.activeView()).contains(a.id()));

      net.leave(b);
      GossipNode restarted = net.restart(b, List.of());

      await().atMost(PATIENCE).until(() -> ids(restarted.activeView()).contains(a.id()));
    }
  }

  private static Set<NodeId> known(GossipNode node) {
    return Stream.concat(node.activeView().stream(), node.passiveView().stream()).map(Peer::id).collect(Collectors.toSet());
  }

  private static Set<NodeId> ids(List<Peer> view) {
    return view.stream().map(Peer::id).collect(Collectors.toSet());
  }
}
