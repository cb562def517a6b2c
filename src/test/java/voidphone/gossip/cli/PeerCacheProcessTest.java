package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;

/**
 * Real {@code gossip run} processes, driven only by their config files, signals and admin
 * endpoints: a node restarted while its only bootstrapper is down rejoins through the peers it knew
 * ({@code hostkey.pem.peers}, written when it stopped).
 */
class PeerCacheProcessTest {
  /**
   * From the restarted process's admin endpoint being up to a non-empty active view. It takes well
   * under a second (one dial to the cached peer and a JOIN); the rest is room for a loaded 2-core
   * machine.
   */
  private static final Duration REJOIN_BOUND = Duration.ofSeconds(15);
  private static final Duration STARTUP = Duration.ofSeconds(CliProcess.TIMEOUT_SECONDS);
  private static final Pattern PEERS_ON = Pattern.compile("gossip node [0-9a-f]{64} serving the API on \\S+, peers on 127\\.0\\.0\\.1:(\\d+) ");
  private static final Pattern ADMIN = Pattern.compile("admin endpoint on (http://\\S+/status)");
  private static final Pattern IDENTITY = Pattern.compile("\"identity\":\"([0-9a-f]{64})\"");

  @TempDir Path dir;
  private final List<Process> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  /** One running {@code gossip run}, with its stderr watched and its admin endpoint found there. */
  private record Node(Process process, LineWatcher stderr, URI status) {}

  @AfterEach
  void stopAll() throws Exception {
    for (Process p : started) p.destroyForcibly();
    for (Process p : started) p.waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aNodeRestartedWhileItsBootstrapperIsDownRejoinsThroughAPeerItKnew() throws Exception {
    Path config0 = nodeDir(0, "pkcs8.pem", null);
    Node node0 = start(config0);
    int bootstrapPort = Integer.parseInt(group(PEERS_ON, node0.stderr().toString()));
    Path config1 = nodeDir(1, "pkcs1.pem", bootstrapPort);
    Path config2 = nodeDir(2, "pkcs1-with-public.pem", bootstrapPort);
    Node node1 = start(config1);
    Node node2 = start(config2);
    await().atMost(Duration.ofSeconds(30)).until(() -> active(node1).contains(KeyFixtures.WITH_PUBLIC_ID));

    stop(node0);
    stop(node1);
    assertThat(Files.readString(config1.resolveSibling("hostkey.pem.peers")))
        .startsWith("voidphone-gossip peers 1 " + KeyFixtures.PKCS1_ID + "\n")
        .contains(KeyFixtures.WITH_PUBLIC_ID + " 127.0.0.1:");
    Node restarted = start(config1); // the same config: its only bootstrapper is node 0, which is down

    await().atMost(REJOIN_BOUND).until(() -> active(restarted).contains(KeyFixtures.WITH_PUBLIC_ID));
    assertThat(logged(restarted.stderr(), Pattern.compile("bootstrapping via the peer cache \\(\\d+ peers known"))).isTrue();
    await().atMost(REJOIN_BOUND).until(() -> active(node2).contains(KeyFixtures.PKCS1_ID));
  }

  /** {@code dir/node-i/} with a fixture hostkey and a config naming {@code bootstrapPort} (if any). */
  private Path nodeDir(int i, String key, Integer bootstrapPort) throws Exception {
    Path nodeDir = Files.createDirectories(dir.resolve("node-" + i));
    Files.copy(KeyFixtures.path(key), nodeDir.resolve("hostkey.pem"));
    Path config = nodeDir.resolve("gossip.ini");
    Files.writeString(config, """
        hostkey = hostkey.pem
        [gossip]
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        admin_address = 127.0.0.1:0
        degree = 4
        pow_difficulty = 4
        """ + (bootstrapPort != null ? "bootstrapper = 127.0.0.1:" + bootstrapPort + "\n" : ""));
    return config;
  }

  /** Starts {@code gossip run -c config} and waits until its admin endpoint is up. */
  private Node start(Path config) throws Exception {
    Process process = CliProcess.builder(config.getParent(), List.of("-DGOSSIP_TEST_LOG_LEVEL=INFO"), Main.class.getName(),
        "run", "-c", config.getFileName().toString()).start();
    started.add(process);
    new LineWatcher(process.getInputStream()); // drained, so that a full pipe never blocks the node
    LineWatcher stderr = new LineWatcher(process.getErrorStream());
    URI status = URI.create(group(ADMIN, stderr.await(ADMIN, STARTUP)));
    stderr.await(PEERS_ON, STARTUP); // logged once the node listens for peers too
    return new Node(process, stderr, status);
  }

  /** SIGTERM, as an operator stops a node: it leaves gracefully and writes its peer cache. */
  private static void stop(Node node) throws Exception {
    node.process().toHandle().destroy();
    assertThat(node.process().waitFor(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS)).isTrue();
    assertThat(node.process().exitValue()).as(node.stderr().toString()).isZero();
  }

  /** The identities in the node's active view, from its admin {@code /status}. */
  private List<String> active(Node node) throws Exception {
    String body = http.send(HttpRequest.newBuilder(node.status()).build(), HttpResponse.BodyHandlers.ofString()).body();
    String activeView = body.substring(body.indexOf("\"active\":["), body.indexOf("\"passive\":["));
    List<String> ids = new ArrayList<>();
    Matcher m = IDENTITY.matcher(activeView);
    while (m.find()) ids.add(m.group(1));
    return ids;
  }

  /** Whether {@code pattern} was logged: among the lines read so far, or within a few seconds. */
  private static boolean logged(LineWatcher stderr, Pattern pattern) throws InterruptedException {
    return pattern.matcher(stderr.toString()).find() || !stderr.await(pattern, Duration.ofSeconds(5)).isEmpty();
  }

  private static String group(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    if (!m.find()) throw new AssertionError("no " + pattern + " in:\n" + text);
    return m.group(1);
  }
}
