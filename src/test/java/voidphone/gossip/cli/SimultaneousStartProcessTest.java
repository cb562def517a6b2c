package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static voidphone.gossip.cli.ProcessOverlay.seconds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sixteen real {@code gossip run} processes of degree 4 on loopback, all bootstrapped from node 0
 * and started at the same moment, end as one overlay: the case where nodes that fill their active
 * views among themselves used to stay in separate cliques for good (docs/protocol/membership.md,
 * "Merging"). The overlay is read from every node's admin {@code /status}, a link counting when
 * both ends list it.
 *
 * <p>Bounds: one component within {@value #FORMATION_SECONDS} s of the last admin endpoint being up
 * (which must happen within {@value #STARTUP_SECONDS} s of the start: sixteen JVMs on two cores),
 * and still one component {@value #STAY_SECONDS} s after that. The measured times go to stdout and,
 * with each node's config and log, to {@code target/simultaneous-start/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimultaneousStartProcessTest {
  static final int NODES = 16;
  static final int STARTUP_SECONDS = 90;
  static final int FORMATION_SECONDS = 60;
  static final int STAY_SECONDS = 5;

  private final Path runDir = Path.of("target", "simultaneous-start");
  private final List<GossipRunProcess> nodes = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();
  private ProcessOverlay overlay;
  private Duration formation;
  private OverlayGraph later;

  @BeforeAll
  void startSixteenNodesAtOnce() throws Exception {
    Path[] configs = writeNodeDirs(freePort());
    for (int i = 0; i < NODES; i++) {
      nodes.add(GossipRunProcess.start("n" + i, configs[i], List.of(), configs[i].resolveSibling("node.log")));
    }
    long started = System.nanoTime();
    List<String> admins = new ArrayList<>();
    for (GossipRunProcess node : nodes) {
      long left = Duration.ofSeconds(STARTUP_SECONDS).toNanos() - (System.nanoTime() - started);
      admins.add(node.awaitAdminAddress(Duration.ofNanos(Math.max(0, left))));
    }
    overlay = new ProcessOverlay(nodes, admins);
    Duration up = overlay.await(graph -> true, started, Duration.ofSeconds(STARTUP_SECONDS));
    assertThat(up).as("every admin endpoint answering within %d s of the start", STARTUP_SECONDS).isNotNull();
    long allUp = System.nanoTime();
    try {
      formation = overlay.await(OverlayGraph::connected, allUp, Duration.ofSeconds(FORMATION_SECONDS));
      note("all 16 admin endpoints answered %s after the start; one component %s after that (%s after the start)",
          seconds(up), seconds(formation), seconds(formation == null ? null : up.plus(formation)));
      note("views then:%n%s", overlay.describeLast());
      if (formation == null) return;
      Thread.sleep(Duration.ofSeconds(STAY_SECONDS)); // "still one" is about a fixed later moment: nothing to await
      later = overlay.snapshot();
      note("views %d s later:%n%s", STAY_SECONDS, later.describe());
    } finally {
      Files.writeString(runDir.resolve("report.txt"), report);
    }
  }

  @Test
  void sixteenNodesOfDegreeFourStartedTogetherFormOneComponentWithin60s() {
    assertThat(formation).as("time from the last admin endpoint up to one component\n%s", report).isNotNull();
  }

  @Test
  void theOverlayIsStillOneComponentFiveSecondsLater() {
    assertThat(later).as("no second snapshot: the overlay never formed\n%s", report).isNotNull();
    assertThat(later.components()).as(report.toString()).hasSize(1);
  }

  @AfterAll
  void stopNodes() {
    GossipRunProcess.closeAll(nodes);
    if (overlay != null) overlay.close();
  }

  /**
   * {@code runDir/node-i/} with a fresh hostkey and a config: node 0 listens for peers on {@code
   * bootstrapPort} (known before anything starts, so that all can start together), every other
   * port is any free one (the admin endpoint is found in the node's log).
   */
  private Path[] writeNodeDirs(int bootstrapPort) throws IOException {
    GossipRunProcess.freshDirectory(runDir);
    Path[] configs = new Path[NODES];
    for (int i = 0; i < NODES; i++) configs[i] = Files.createDirectories(runDir.resolve("node-" + i)).toAbsolutePath().resolve("gossip.ini");
    IntStream.range(0, NODES).parallel().forEach(i -> {
      try {
        ProcessOverlay.writeHostkey(configs[i].resolveSibling("hostkey.pem"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    for (int i = 0; i < NODES; i++) {
      Files.writeString(configs[i], """
          ; node %d of SimultaneousStartProcessTest
          hostkey = hostkey.pem
          [gossip]
          p2p_address = 127.0.0.1:%d
          api_address = 127.0.0.1:0
          admin_address = 127.0.0.1:0
          %s
          degree = 4
          pow_difficulty = 8
          """.formatted(i, i == 0 ? bootstrapPort : 0,
          i == 0 ? "; no bootstrapper: node 0 starts the network" : "bootstrapper = 127.0.0.1:" + bootstrapPort));
    }
    return configs;
  }

  /** A port free now (a small race with other processes; node 0's log says so if it lost it). */
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  private void note(String format, Object... args) {
    String line = String.format(format, args);
    report.append(line).append('\n');
    System.out.println("SimultaneousStartProcessTest: " + line);
  }

}
