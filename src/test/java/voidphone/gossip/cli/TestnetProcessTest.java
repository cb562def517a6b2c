package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;

/** {@code gossip testnet} as an operator runs it: nodes come up, link, serve /status and /metrics, stop on SIGTERM. */
class TestnetProcessTest {
  @TempDir Path dir;

  @Test
  void testnetLinksItsNodesAndServesTheirStatusAndMetrics() throws Exception {
    // Keys already in place are kept: this spares the test generating RSA-4096 keys.
    for (int i = 0; i < 2; i++) Files.createDirectories(dir.resolve("net/node-" + i));
    Files.copy(KeyFixtures.path("pkcs8.pem"), dir.resolve("net/node-0/hostkey.pem"));
    Files.copy(KeyFixtures.path("pkcs1.pem"), dir.resolve("net/node-1/hostkey.pem"));
    int base = freePortRange(2);
    Process process = CliProcess.builder(dir, List.of(), Main.class.getName(), "testnet", "--nodes", "2",
        "--dir", "net", "--base-port", Integer.toString(base), "--pow-difficulty", "4").start();
    LineWatcher stdout = new LineWatcher(process.getInputStream());
    LineWatcher stderr = new LineWatcher(process.getErrorStream());

    String running = stdout.await(Pattern.compile("^2 nodes running"), Duration.ofSeconds(CliProcess.TIMEOUT_SECONDS));
    assertThat(running).as("each node on a thread of its own, named after it")
        .startsWith("2 nodes running, each on a thread named after it");
    assertThat(stdout.toString()).contains(KeyFixtures.PKCS8_ID).contains(KeyFixtures.PKCS1_ID);
    assertThat(Files.readString(dir.resolve("net/node-1/gossip.ini")))
        .contains("bootstrapper = 127.0.0.1:" + base);

    HttpClient http = HttpClient.newHttpClient();
    URI status = URI.create("http://127.0.0.1:" + (base + 200) + "/status");
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()).body())
            .contains("\"active\":[{\"identity\":\"" + KeyFixtures.PKCS1_ID + "\""));
    URI metrics = URI.create("http://127.0.0.1:" + (base + 200) + "/metrics");
    assertThat(http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString()).body())
        .contains("gossip_active_view_size 1.0")
        .contains("gossip_graft_wait_seconds 0.08"); // nothing learned yet: the configured least wait

    process.toHandle().destroy(); // SIGTERM
    assertThat(process.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(stderr.toString()).isZero();
  }

  @Test
  void eachNodesLogLinesNameTheNode() throws Exception {
    placeKeys(2);
    int base = freePortRange(2);
    // INFO, as --verbose gives an operator (the tests' own logging config is WARN by default)
    Process process = CliProcess.builder(dir, List.of("-DGOSSIP_TEST_LOG_LEVEL=INFO"), Main.class.getName(), "testnet",
        "--nodes", "2", "--dir", "net", "--base-port", Integer.toString(base), "--pow-difficulty", "4", "--verbose").start();
    new LineWatcher(process.getInputStream());
    LineWatcher stderr = new LineWatcher(process.getErrorStream());
    try {
      // the link between the two is logged by each node, on its own loop
      Pattern linkUp = Pattern.compile("\\[(n[01])\\] link +link up ([0-9a-f]{64})");
      java.util.Map<String, String> peerOf = new java.util.HashMap<>();
      while (peerOf.size() < 2) {
        java.util.regex.Matcher m = linkUp.matcher(stderr.await(linkUp, Duration.ofSeconds(CliProcess.TIMEOUT_SECONDS)));
        assertThat(m.find()).isTrue();
        peerOf.put(m.group(1), m.group(2));
      }
      assertThat(peerOf).containsEntry("n0", KeyFixtures.PKCS1_ID).containsEntry("n1", KeyFixtures.PKCS8_ID);
    } finally {
      process.toHandle().destroy();
      process.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  @Test
  void aTakenPortEndsTheTestnetWithAFailureThatNamesBasePort() throws Exception {
    placeKeys(2);
    int base = freePortRange(2);
    try (ServerSocket taken = new ServerSocket(base + 1, 1, InetAddress.getLoopbackAddress())) {
      CliProcess.Result result = CliProcess.run(dir, "testnet", "--nodes", "2", "--dir", "net",
          "--base-port", Integer.toString(base), "--pow-difficulty", "4");

      assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
      assertThat(result.stderr()).as(result.toString())
          .contains("p2p_address 127.0.0.1:" + taken.getLocalPort() + ": cannot listen: the port is already in use")
          .contains("choose free ports with --base-port");
    }
  }

  @Test
  void withDemoAnItemAnnouncedAtTheFirstNodeIsLoggedByEveryNodesModule() throws Exception {
    placeKeys(3);
    int base = freePortRange(3);
    Process process = CliProcess.builder(dir, List.of(), Main.class.getName(), "testnet", "--nodes", "3",
        "--dir", "net", "--base-port", Integer.toString(base), "--pow-difficulty", "4", "--demo").start();
    LineWatcher stdout = new LineWatcher(process.getInputStream());
    LineWatcher stderr = new LineWatcher(process.getErrorStream());
    try {
      stdout.await(Pattern.compile("^3 nodes running.*demo module validating data type 7"),
          Duration.ofSeconds(CliProcess.TIMEOUT_SECONDS));
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 1; i < 3; i++) { // an item announced before a node has joined never reaches it
        URI status = URI.create("http://127.0.0.1:" + (base + 200 + i) + "/status");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
            assertThat(http.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString()).body())
                .contains("\"active\":[{\"identity\""));
      }

      CliProcess.Result announce = CliProcess.run(dir, "announce", "--api", "127.0.0.1:" + (base + 100), "--type", "7", "hello");
      assertThat(announce.exitCode()).as(announce.toString()).isZero();

      Set<String> reached = new HashSet<>();
      Pattern got = Pattern.compile("(n\\d): got item of type 7: text=hello -> VALID");
      while (reached.size() < 3) {
        Matcher m = got.matcher(stderr.await(got, Duration.ofSeconds(30)));
        assertThat(m.find()).isTrue();
        reached.add(m.group(1));
      }
      assertThat(reached).containsExactlyInAnyOrder("n0", "n1", "n2");
    } finally {
      process.toHandle().destroy();
      process.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** Keys already in place are kept: this spares the test generating RSA-4096 keys. */
  private void placeKeys(int nodes) throws Exception {
    String[] keys = {"pkcs8.pem", "pkcs1.pem", "pkcs1-with-public.pem"};
    for (int i = 0; i < nodes; i++) {
      Files.createDirectories(dir.resolve("net/node-" + i));
      Files.copy(KeyFixtures.path(keys[i]), dir.resolve("net/node-" + i + "/hostkey.pem"));
    }
  }

  /** A base port whose p2p, API and admin ports (base, +100, +200, one each per node) are free now. */
  private static int freePortRange(int nodes) throws Exception {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base;
      try (ServerSocket probe = new ServerSocket(0)) {
        base = probe.getLocalPort();
      }
      if (base + 200 + nodes > 65535) continue;
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        ports.addAll(List.of(base + i, base + 100 + i, base + 200 + i));
      }
      if (free(ports)) return base;
    }
    throw new IllegalStateException("no free port range found");
  }

  private static boolean free(List<Integer> ports) {
    for (int port : ports) {
      try (ServerSocket s = new ServerSocket(port)) {
        s.setReuseAddress(true);
      } catch (Exception taken) {
        return false;
      }
    }
    return true;
  }
}
