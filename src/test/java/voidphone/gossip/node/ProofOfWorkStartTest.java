package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.identity.PowFile;
import voidphone.gossip.identity.ProofOfWork;
import voidphone.gossip.link.TestKeys;

/** A first start with a key that has no proof of work yet: the API is up at once, peers come after. */
class ProofOfWorkStartTest {
  private static final int DIFFICULTY = 12;

  @TempDir Path dir;

  private GossipConfig config(List<HostPort> bootstrap) {
    return GossipConfig.withDefaults(dir.resolve("hostkey-" + bootstrap.size() + ".pem"),
        new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0)).with(k -> {
          k.degree = 4;
          k.bootstrappers = bootstrap;
          k.powDifficulty = DIFFICULTY;
        });
  }

  @Test
  void nodeWithoutProofOfWorkServesTheApiAtOnceThenSolvesStoresAndJoins() throws Exception {
    Hostkey first = HostkeyFile.fromKeyPair(TestKeys.get(0));
    Hostkey second = HostkeyFile.fromKeyPair(TestKeys.get(1));
    try (GossipNode a = GossipNode.start(config(List.of()), first)) {
      try (Socket api = new Socket(a.apiAddress().getAddress(), a.apiAddress().getPort())) {
        assertThat(api.isConnected()).isTrue();
      }
      HostPort bootstrap = new HostPort("127.0.0.1", a.p2pAddress().getPort());
      try (GossipNode b = GossipNode.start(config(List.of(bootstrap)), second)) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !b.activeView().isEmpty());
        assertThat(a.activeView()).extracting(p -> p.id()).containsExactly(second.id());
        var stored = PowFile.stored(dir.resolve("hostkey-1.pem"), second.id());
        assertThat(stored).hasValueSatisfying(s -> assertThat(ProofOfWork.verify(second.id(), s.nonce(), DIFFICULTY)).isTrue());
      }
    }
  }
}
