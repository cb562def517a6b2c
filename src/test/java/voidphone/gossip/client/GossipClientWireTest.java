package voidphone.gossip.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client writes in the cases a real node cannot show byte by byte: a scripted server on
 * loopback plays the node.
 */
class GossipClientWireTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final Options QUIET = Options.defaults()
      .withBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).withListener((state, cause) -> {});

  private ServerSocket server;
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() throws IOException {
    server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    server.setSoTimeout((int) PATIENCE.toMillis());
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket s : accepted) s.close();
    server.close();
  }

  private InetSocketAddress address() {
    return new InetSocketAddress("127.0.0.1", server.getLocalPort());
  }

  private Socket accept() throws IOException {
    Socket s = server.accept();
    s.setSoTimeout((int) PATIENCE.toMillis());
    accepted.add(s);
    return s;
  }

  private static String read(Socket s, int n) throws IOException {
    byte[] bytes = s.getInputStream().readNBytes(n);
    assertThat(bytes).as("bytes before the client closed").hasSize(n);
    return HEX.formatHex(bytes);
  }

  private static void write(Socket s, String hex) throws IOException {
    s.getOutputStream().write(HEX.parseHex(hex));
  }

  @Test
  void aHandlerThatThrowsSendsNoVerdict() throws Exception {
    try (GossipClient client = GossipClient.connect(address(), QUIET)) {
      client.subscribe(1337, n -> {
        if (n.data()[0] == 'x') throw new IllegalStateException("cannot judge this one");
        return Verdict.VALID;
      });
      Socket node = accept();
      assertThat(read(node, 8)).isEqualTo("00 08 01 f5 00 00 05 39");

      write(node, "00 09 01 f6 00 01 05 39 78"); // id 1, "x": the handler throws
      write(node, "00 09 01 f6 00 02 05 39 79"); // id 2, "y": valid

      assertThat(read(node, 8)).as("only id 2 answered").isEqualTo("00 08 01 f7 00 02 00 01");
    }
  }

  @Test
  void aVerdictForALostConnectionIsNotSentOnTheNextOne() throws Exception {
    AtomicReference<CompletableFuture<Verdict>> verdict = new AtomicReference<>();
    try (GossipClient client = GossipClient.connect(address(), QUIET)) {
      client.subscribeAsync(7, n -> {
        verdict.set(new CompletableFuture<>());
        return verdict.get();
      });
      Socket first = accept();
      read(first, 8);
      write(first, "00 09 01 f6 00 05 00 07 61");
      await().atMost(PATIENCE).until(() -> verdict.get() != null);
      first.close();

      Socket second = accept();
      assertThat(read(second, 8)).as("re-subscribed").isEqualTo("00 08 01 f5 00 00 00 07");
      await().atMost(PATIENCE).until(() -> client.pendingVerdicts() == 0); // freed with the lost connection
      verdict.get().complete(Verdict.VALID);
      client.announce(7, 1, new byte[] {0x62});

      // a VALIDATION would come first (verdicts go before announces): the announce comes instead
      assertThat(read(second, 9)).isEqualTo("00 09 01 f4 01 00 00 07 62");
    }
  }

  @Test
  void closeLetsTheRunningHandlerFinishSendsItsVerdictAndHandsOnNothingMore() throws Exception {
    CountDownLatch judging = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger handled = new AtomicInteger();
    GossipClient client = GossipClient.connect(address(), QUIET);
    client.subscribe(3, n -> {
      handled.incrementAndGet();
      judging.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return Verdict.INVALID;
    });
    Socket node = accept();
    read(node, 8);
    write(node, "00 09 01 f6 00 01 00 03 61");
    write(node, "00 09 01 f6 00 02 00 03 62"); // read along with the first, or just after
    judging.await();

    CompletableFuture<Void> closing = CompletableFuture.runAsync(client::close);
    await().atMost(PATIENCE).until(() -> client.state() == ConnectionState.CLOSED);
    release.countDown();
    closing.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

    assertThat(read(node, 8)).isEqualTo("00 08 01 f7 00 01 00 00");
    assertThat(node.getInputStream().read()).as("end of stream after the verdict").isEqualTo(-1);
    assertThat(handled).hasValue(1);
  }

  @Test
  void aMessageOtherThanANotificationDropsTheConnectionNamingIt() throws Exception {
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    try (GossipClient client = GossipClient.connect(address(), QUIET.withReconnect(false).withListener((state, cause) -> {
      if (state == ConnectionState.CLOSED) causes.add(cause);
    }))) {
      Socket node = accept();

      write(node, "00 08 01 f7 00 01 00 01"); // a VALIDATION: only a module sends those

      await().atMost(PATIENCE).until(() -> client.state() == ConnectionState.CLOSED);
      assertThat(causes).singleElement().extracting(Throwable::getMessage).isEqualTo("gossip API at 127.0.0.1:"
          + server.getLocalPort() + " sent a message of type 503 (size 8); a node sends only NOTIFICATION (502)");
    }
  }
}
