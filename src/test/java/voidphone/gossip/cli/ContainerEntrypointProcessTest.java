package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import voidphone.gossip.identity.KeyFixtures;

/**
 * The container's entrypoint ({@code docker/entrypoint.sh}), run exactly as the image runs it but
 * with the CLI from this build instead of {@code java -jar /opt/gossip/gossip.jar} (no container
 * engine runs on the test machines): first start, joining through a bootstrapper, restart.
 */
class ContainerEntrypointProcessTest {
  private static final Path ENTRYPOINT = Path.of("docker/entrypoint.sh").toAbsolutePath();
  private static final Pattern ADMIN = Pattern.compile("admin endpoint on http://(\\S+)/status");
  private static final Duration UP = Duration.ofSeconds(60);
  /** The first start makes an RSA-4096 key before the node starts. */
  private static final Duration FIRST_UP = Duration.ofSeconds(150);

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  ContainerEntrypointProcessTest(TestInfo test) throws IOException {
    // a directory per test: what each left (configs, logs) is there to read after a failed run
    dir = GossipRunProcess.freshDirectory(
        Path.of("target", "container-entrypoint", test.getTestMethod().orElseThrow().getName()));
  }

  /**
   * A volume that already holds a hostkey (a fixture key): only the first-start test pays for an
   * RSA-4096 key generation, which takes from seconds to half a minute on a loaded machine.
   */
  private Path volumeWithKey(String name, String fixture) throws IOException {
    Path data = Files.createDirectories(dir.resolve(name));
    Files.copy(KeyFixtures.path(fixture), data.resolve("hostkey.pem"));
    return data;
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    for (Process p : processes) p.destroy();
    for (Process p : processes) {
      if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  private record Container(Process process, Path data, Path log, String p2p) {}

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Starts the entrypoint for a container whose volume is {@code data}, as {@code docker run -e ...}. */
  private Container start(String name, Path data, Map<String, String> extraEnv) throws IOException {
    String p2p = "127.0.0.1:" + freePort();
    String cli = String.join(" ", ProcessHandle.current().info().command().orElseThrow(),
        "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-DGOSSIP_TEST_LOG_LEVEL=INFO",
        "-cp", System.getProperty("java.class.path"), Main.class.getName());
    Path log = dir.resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder("sh", ENTRYPOINT.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = builder.environment();
    env.put("GOSSIP_CLI", cli);
    env.put("GOSSIP_DATA", data.toString());
    env.put("GOSSIP_P2P_ADDRESS", p2p);
    env.put("GOSSIP_API_ADDRESS", "127.0.0.1:0");
    env.put("GOSSIP_ADMIN_ADDRESS", "127.0.0.1:0");
    env.put("GOSSIP_POW_DIFFICULTY", "8");
    env.putAll(extraEnv);
    Process process = builder.start();
    processes.add(process);
    return new Container(process, data, log, p2p);
  }

  private static String adminAddress(Container c) {
    return adminAddress(c, UP);
  }

  private static String adminAddress(Container c, Duration within) {
    return await().atMost(within).until(() -> {
      assertThat(c.process().isAlive()).as("entrypoint still running; log:\n%s", Files.readString(c.log())).isTrue();
      Matcher m = ADMIN.matcher(Files.readString(c.log()));
      return m.find() ? m.group(1) : null;
    }, a -> a != null);
  }

  @Test
  void firstStartWritesTheConfigFromTheEnvironmentMakesTheHostkeyAndRunsTheNode() throws Exception {
    Container c = start("first", dir.resolve("first"), Map.of("GOSSIP_DEGREE", "5"));

    String admin = adminAddress(c, FIRST_UP);

    String config = Files.readString(c.data().resolve("gossip.ini"));
    assertThat(config).contains("p2p_address = " + c.p2p(), "pow_difficulty = 8", "degree = 5")
        .doesNotContain("bootstrapper");
    assertThat(c.data().resolve("hostkey.pem")).exists();
    assertThat(c.data().resolve("hostkey.pem.pow")).exists();
    assertThat(StatusView.fetch(http, admin).identity()).hasSize(64);
  }

  @Test
  void aContainerGivenABootstrapperJoinsItsNetwork() throws Exception {
    Container first = start("bootstrap", volumeWithKey("bootstrap", "pkcs8.pem"), Map.of());
    String firstAdmin = adminAddress(first);
    Container second = start("peer", volumeWithKey("peer", "pkcs1.pem"), Map.of("GOSSIP_BOOTSTRAPPER", first.p2p()));
    String secondId = StatusView.fetch(http, adminAddress(second)).identity();

    await().atMost(UP).untilAsserted(() ->
        assertThat(StatusView.fetch(http, firstAdmin).active()).contains(secondId));
  }

  @Test
  void aRestartedContainerKeepsItsIdentityAndConfig() throws Exception {
    Path data = volumeWithKey("restart", "pkcs8.pem");
    Container before = start("restart-1", data, Map.of());
    String identity = StatusView.fetch(http, adminAddress(before)).identity();
    String config = Files.readString(data.resolve("gossip.ini"));
    before.process().destroy(); // docker stop: SIGTERM to PID 1, the node itself after exec
    assertThat(before.process().waitFor(20, TimeUnit.SECONDS)).as("the node exited on SIGTERM").isTrue();
    assertThat(before.process().exitValue()).isZero();

    Container after = start("restart-2", data, Map.of("GOSSIP_DEGREE", "9"));

    assertThat(StatusView.fetch(http, adminAddress(after)).identity()).isEqualTo(identity);
    assertThat(Files.readString(data.resolve("gossip.ini"))).as("a config on the volume is kept").isEqualTo(config);
  }
}
