package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;

class GossipNodeTest {
  private static final Hostkey HOSTKEY = HostkeyFile.fromKeyPair(TestKeys.get(0));

  /** The proof of work these nodes solve in the background is stored here, not in the build's directory. */
  @TempDir static Path keys;

  private static GossipConfig apiOn(String host, int port) {
    return GossipConfig.withDefaults(
        keys.resolve("hostkey.pem"), new HostPort("127.0.0.1", 0), new HostPort(host, port));
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setSoTimeout(5_000);
    s.setTcpNoDelay(true);
    s.connect(address, 5_000);
    return s;
  }

  @Test
  void portZeroBindsAFreePortAndApiAddressReportsIt() throws Exception {
    try (GossipNode node = GossipNode.start(apiOn("127.0.0.1", 0), HOSTKEY);
        Socket client = connect(node.apiAddress())) {
      assertThat(node.apiAddress().getPort()).isPositive();
      assertThat(client.isConnected()).isTrue();
    }
  }

  @Test
  void aHostNameIsResolved() throws Exception {
    try (GossipNode node = GossipNode.start(apiOn("localhost", 0), HOSTKEY)) {
      assertThat(node.apiAddress().getAddress().isLoopbackAddress()).isTrue();
    }
  }

  @Test
  void anAddressInUseIsAnIOExceptionNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertThatThrownBy(() -> GossipNode.start(apiOn("127.0.0.1", port), HOSTKEY))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("127.0.0.1:" + port)
          .hasMessageContaining("in use");
    }
  }

  @Test
  void anUnresolvableHostIsAnIOExceptionNamingTheKey() {
    assertThatThrownBy(() -> GossipNode.start(apiOn("no-such-host.invalid", 7001), HOSTKEY))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("api_address")
        .hasMessageContaining("no-such-host.invalid");
  }

  @Test
  void theApiServesModulesEndToEnd() throws Exception {
    try (GossipNode node = GossipNode.start(apiOn("127.0.0.1", 0), HOSTKEY);
        Socket sub = connect(node.apiAddress());
        Socket announcer = connect(node.apiAddress())) {
      sub.getOutputStream().write(ApiWire.encode(new ApiMessage.Notify(1)));
      awaitSubscriber(node, 1);

      announcer.getOutputStream().write(ApiWire.encode(new ApiMessage.Announce(0, 1, new byte[] {7})));

      DataInputStream in = new DataInputStream(sub.getInputStream());
      int size = in.readUnsignedShort();
      int type = in.readUnsignedShort();
      byte[] body = in.readNBytes(size - 4);
      assertThat(ApiWire.decodeNotification(size, type, ByteBuffer.wrap(body)).data())
          .containsExactly(7);
    }
  }

  @Test
  void closeDisconnectsClientsAndFreesThePort() throws Exception {
    GossipNode node = GossipNode.start(apiOn("127.0.0.1", 0), HOSTKEY);
    InetSocketAddress address = node.apiAddress();
    try (Socket client = connect(address)) {
      org.awaitility.Awaitility.await()
          .until(() -> node.loop().submit(() -> node.apiHub().connectionCount()).get() == 1);

      node.close();

      assertThat(client.getInputStream().read()).as("end of stream").isEqualTo(-1);
      try (ServerSocket again = new ServerSocket()) {
        again.setReuseAddress(true);
        again.bind(address);
      }
      assertThat(node.loop().isTerminated()).isTrue();
    }
  }

  @Test
  void closingTwiceIsHarmless() throws Exception {
    GossipNode node = GossipNode.start(apiOn("127.0.0.1", 0), HOSTKEY);
    node.close();
    node.close();
    assertThat(node.loop().isShutdown()).isTrue();
  }

  private static void awaitSubscriber(GossipNode node, int dataType) {
    org.awaitility.Awaitility.await()
        .until(() -> node.loop().submit(() -> node.apiHub().hasSubscribers(dataType)).get());
  }
}
