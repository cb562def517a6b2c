package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.admin.PrometheusTextLint;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;

/**
 * Issue 13, item 4: the admin endpoint of a running node that has links, subscribers and delivered
 * items. {@code /metrics} is linted in full, by {@code promtool check metrics} when it is installed
 * ({@code scripts/install-test-deps.sh} installs it as root) and always by {@link PrometheusTextLint};
 * {@code /status} carries what an operator needs (docs/METRICS.md).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminEndpointTest {
  private static final int TYPE = 4242;
  /** Nothing listens on port 1 of loopback: a bootstrapper that is refused at once. */
  private static final HostPort DEAD = new HostPort("127.0.0.1", 1);

  @TempDir static Path dir;
  private final HttpClient http = HttpClient.newHttpClient();
  private GossipNode first;
  private GossipNode second;
  private TestModule subscriber;
  private TestModule announcer;

  @BeforeAll
  void start() throws Exception {
    first = node(0, List.of());
    second = node(1, List.of(DEAD, new HostPort("127.0.0.1", first.p2pAddress().getPort())));
    await().atMost(Duration.ofSeconds(30)).until(() -> !second.activeView().isEmpty());
    subscriber = TestModule.connect(second).subscribe(TYPE);
    announcer = TestModule.connect(first);
    await().atMost(Duration.ofSeconds(10)).until(() -> get(second, "/status").contains("\"subscribers\":{\"" + TYPE + "\":1}"));
    announcer.announce(0, TYPE, "metrics");
    await().atMost(Duration.ofSeconds(30)).until(() -> subscriber.hasReceived(TYPE, "metrics"));
  }

  private GossipNode node(int key, List<HostPort> bootstrap) throws Exception {
    GossipConfig config = GossipConfig.withDefaults(dir.resolve("hostkey-" + key + ".pem"),
        new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0)).with(k -> {
          k.bootstrappers = bootstrap;
          k.powDifficulty = 0;
          k.adminAddress = java.util.Optional.of(new HostPort("127.0.0.1", 0));
        });
    return GossipNode.start(config, HostkeyFile.fromKeyPair(TestKeys.get(key)), NodeOptions.fastTests());
  }

  @AfterAll
  void stop() {
    if (subscriber != null) subscriber.close();
    if (announcer != null) announcer.close();
    if (second != null) second.close();
    if (first != null) first.close();
  }

  private String get(GossipNode node, String path) throws Exception {
    InetSocketAddress admin = node.adminAddress();
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin.getPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static double sample(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    assertThat(m.find()).as(series + " in\n" + metrics).isTrue();
    return Double.parseDouble(m.group(1));
  }

  @Test
  void metricsAreAValidExpositionWithHelpForEveryMetric() throws Exception {
    // keepalives every 250 ms on these links: a round trip is measured within a second or two
    await().atMost(Duration.ofSeconds(20)).until(() -> sample(get(second, "/metrics"), "gossip_link_rtt_seconds_count") > 0);
    String metrics = get(second, "/metrics");

    assertThat(PrometheusTextLint.problems(metrics)).as(metrics).isEmpty();
    String promtool = promtool();
    if (promtool != null) {
      Process check = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
      check.getOutputStream().write(metrics.getBytes(StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(said).as("promtool check metrics").isEmpty();
      assertThat(check.exitValue()).as("promtool: " + said).isZero();
    }

    assertThat(sample(metrics, "gossip_delivery_hops_count")).isEqualTo(1);
    assertThat(sample(metrics, "gossip_delivery_hops_bucket{le=\"1.0\"}")).isEqualTo(1);
    assertThat(sample(metrics, "gossip_verdict_seconds_count")).isEqualTo(1);
    assertThat(sample(metrics, "gossip_verdict_seconds_bucket{le=\"+Inf\"}")).isEqualTo(1);
    assertThat(sample(metrics, "gossip_items_delivered_total")).isEqualTo(1);
    assertThat(sample(metrics, "gossip_graft_wait_seconds")).isPositive().isLessThan(60);
    assertThat(sample(metrics, "process_resident_memory_bytes")).isGreaterThan(1 << 20);
    assertThat(sample(metrics, "process_cpu_seconds_total")).isPositive();
    assertThat(sample(metrics, "process_open_fds")).isPositive();
    assertThat(sample(metrics, "process_start_time_seconds")).isGreaterThan(1.7e9);
    assertThat(sample(metrics, "jvm_memory_heap_used_bytes")).isPositive();
    assertThat(sample(metrics, "jvm_memory_heap_committed_bytes")).isPositive();
    assertThat(sample(metrics, "jvm_threads_current")).isPositive();
    assertThat(metrics).contains("jvm_gc_collection_seconds_total ", "gossip_bootstrappers_unreachable 1.0",
        "gossip_version{version=\"dev\"} 1.0").doesNotContain("_ms ", "_ms{");
  }

  @Test
  void everyMetricIsDocumented() throws Exception {
    String metrics = get(second, "/metrics");
    String doc = Files.readString(Path.of("docs/METRICS.md"));
    List<String> undocumented = new ArrayList<>();
    for (String line : metrics.lines().toList()) {
      if (!line.startsWith("# TYPE ")) continue;
      String name = line.split(" ")[2];
      if (!doc.contains("`" + name + "`")) undocumented.add(name);
    }
    assertThat(undocumented).as("metrics missing from docs/METRICS.md").isEmpty();
  }

  @Test
  void statusCarriesVersionUptimeProofOfWorkBootstrappersSubscribersAndQueues() throws Exception {
    await().atMost(Duration.ofSeconds(20)).until(() -> get(second, "/status").contains("\"state\":\"unreachable\""));
    String status = get(second, "/status");

    assertThat(status).contains("\"version\":\"dev\"", "\"uptime_seconds\":",
        "\"pow\":{\"own_bits\":", "\"required_bits\":0,\"ready\":true}",
        "\"subscribers\":{\"" + TYPE + "\":1}",
        "\"queues\":{\"pending_validations\":0,\"held_items\":0,\"missing_items\":", "\"link_send_queue_bytes\":");
    assertThat(status).containsPattern("\\{\"address\":\"127\\.0\\.0\\.1:1\",\"state\":\"unreachable\","
        + "\"failed_dials\":[1-9][0-9]*,\"last_error\":\"connect failed: [^\"]+\"\\}");
    assertThat(status).contains("{\"address\":\"127.0.0.1:" + first.p2pAddress().getPort() + "\",\"state\":\"reachable\","
        + "\"failed_dials\":0,\"last_error\":null}");
    assertThat(status).contains("\"active\":[{\"identity\":\"" + first.id().hex() + "\",\"address\":\"127.0.0.1:"
        + first.p2pAddress().getPort() + "\"}]");
    String docs = Files.readString(Path.of("docs/METRICS.md"));
    for (String field : List.of("identity", "p2p_address", "api_address", "active", "passive", "counters", "version",
        "uptime_seconds", "pow", "own_bits", "required_bits", "ready", "bootstrappers", "state", "failed_dials",
        "last_error", "subscribers", "queues", "pending_validations", "held_items", "missing_items",
        "awaiting_link_messages", "api_awaiting_verdicts", "link_send_queue_bytes")) {
      assertThat(docs).as("/status field " + field + " in docs/METRICS.md").contains("`" + field + "`");
    }
  }

  @Test
  void theQueuesTheNodeReportsToItsCallerAreThoseOfStatus() throws Exception {
    // what ./bench soak watches (its nodes have no admin endpoint): the same names, read the same way
    java.util.Map<String, Number> queues = second.queues();
    Matcher m = Pattern.compile("\"queues\":\\{([^}]*)\\}").matcher(get(second, "/status"));
    assertThat(m.find()).isTrue();
    List<String> names = new ArrayList<>();
    for (String entry : m.group(1).split(",")) names.add(entry.substring(1, entry.indexOf('"', 1)));
    assertThat(queues.keySet()).containsExactlyElementsOf(names);
    assertThat(queues.values()).allSatisfy(v -> assertThat(v.longValue()).isNotNegative());
  }

  /** promtool on the PATH or where Debian installs it, else null. */
  private static String promtool() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) return p.toString();
    }
    return Files.isExecutable(Path.of("/usr/bin/promtool")) ? "/usr/bin/promtool" : null;
  }
}
