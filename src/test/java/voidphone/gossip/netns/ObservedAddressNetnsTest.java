package voidphone.gossip.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.cli.ApiModule;
import voidphone.gossip.cli.GossipRunProcess;
import voidphone.gossip.cli.ProcessOverlay;
import voidphone.gossip.cli.StatusView;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.hostile.HostileIdentity;
import voidphone.gossip.hostile.HostilePeer;

/**
 * The anti-eclipse bound judged by the address a link comes from, between real processes on a real
 * (namespaced) network, where loopback's exemption does not hide it: 30 hostile identities from one
 * IP address, each advertising an address group of its own, press one node with NEIGHBOR(high)
 * requests. The victim has room for 16 neighbours, so only the bound of 4 links per observed /24
 * (docs/protocol/membership.md, "Anti-eclipse bound") keeps them out: judged by the advertised
 * addresses alone (the observed host withheld from membership), they held 12 of the 16 slots at
 * once (2026-12-01), with it at most 4.
 *
 * <p>The five honest nodes share {@code 198.18.77.0/24}; the hostile peer runs in this JVM and
 * reaches the victim from {@value #OUTSIDER}, a /24 of its own ({@link NetnsTopology#addOutsider}).
 * Needs root, {@code ip} and {@code nft}, like {@link NamespacePartitionTest}; skipped otherwise.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservedAddressNetnsTest {
  private static final int NODES = 5;
  private static final int VICTIM = 2;
  private static final int VICTIM_DEGREE = 16;
  private static final int PER_GROUP = 4;
  private static final int SYBILS = 30;
  private static final int POW_BITS = 8;
  private static final int DATA_TYPE = 4343;
  private static final int P2P_PORT = 7000;
  private static final int API_PORT = 7001;
  private static final int ADMIN_PORT = 7002;
  private static final String OUTSIDER = "198.18.78.254";
  private static final Duration STARTUP = Duration.ofSeconds(90);
  private static final Duration PRESSURE = Duration.ofSeconds(10);
  private static final Duration DELIVERY = Duration.ofSeconds(20);

  private final Path runDir = Path.of("target", "netns-observed-address");
  private final List<GossipRunProcess> nodes = new ArrayList<>();
  private final List<ApiModule> modules = new ArrayList<>();
  private NetnsTopology net;
  private ProcessOverlay overlay;

  @BeforeAll
  void startNodes() throws Exception {
    String why = NetnsTopology.whyUnavailable();
    assumeTrue(why == null, why);
    try {
      net = NetnsTopology.create(NODES, Duration.ofMinutes(5));
    } catch (NetnsTopology.Busy e) {
      assumeTrue(false, e.getMessage());
    }
    net.addOutsider(OUTSIDER, VICTIM);
    GossipRunProcess.freshDirectory(runDir);
    IntStream.range(0, NODES).parallel().forEach(i -> {
      try {
        Path dir = Files.createDirectories(runDir.resolve("node-" + i));
        ProcessOverlay.writeHostkey(dir.resolve("hostkey.pem"));
        String address = NetnsTopology.nodeAddress(i);
        Files.writeString(dir.resolve("gossip.ini"), """
            ; node %d of ObservedAddressNetnsTest
            hostkey = hostkey.pem
            [gossip]
            p2p_address = %s:%d
            api_address = %s:%d
            admin_address = %s:%d
            %s
            degree = %d
            pow_difficulty = %d
            max_peers_per_subnet = %d
            """.formatted(i, address, P2P_PORT, address, API_PORT, address, ADMIN_PORT,
            i == 0 ? "" : "bootstrapper = " + NetnsTopology.nodeAddress(0) + ":" + P2P_PORT,
            i == VICTIM ? VICTIM_DEGREE : 4, POW_BITS, PER_GROUP));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    for (int i = 0; i < NODES; i++) {
      Path dir = runDir.resolve("node-" + i).toAbsolutePath();
      nodes.add(GossipRunProcess.start("n" + i, dir.resolve("gossip.ini"), net.execIn(i), dir.resolve("node.log")));
    }
    List<String> admins = IntStream.range(0, NODES).mapToObj(i -> NetnsTopology.nodeAddress(i) + ":" + ADMIN_PORT).toList();
    overlay = new ProcessOverlay(nodes, admins);
    assertThat(overlay.await(g -> g.connected() && g.views().get(VICTIM).active().size() >= 2, System.nanoTime(), STARTUP))
        .as("the honest nodes one overlay within %s:%n%s", STARTUP, overlay.describeLast()).isNotNull();
    for (int i = 0; i < NODES; i++) {
      modules.add(ApiModule.subscribe("n" + i, new InetSocketAddress(NetnsTopology.nodeAddress(i), API_PORT), DATA_TYPE));
    }
  }

  @AfterAll
  void stopNodes() throws Exception {
    modules.forEach(ApiModule::close);
    GossipRunProcess.closeAll(nodes);
    if (overlay != null) overlay.close();
    if (net != null) net.removeAll();
  }

  @Test
  void thirtyIdentitiesFromOneAddressHoldAtMostFourOfTheVictimsLinksAndHonestItemsStillReachEveryone() throws Exception {
    StatusView before = overlay.snapshot().views().get(VICTIM);
    List<HostileIdentity> ids = HostileIdentity.make(SYBILS, POW_BITS);
    Set<String> sybils = new HashSet<>();
    for (HostileIdentity id : ids) sybils.add(id.id().hex());
    int[] most = {0};
    List<String> violations = new ArrayList<>();
    List<String> items = new ArrayList<>();
    PeerAddress victim = new PeerAddress(NetnsTopology.nodeAddress(VICTIM), P2P_PORT);
    try (HostilePeer hostile = HostilePeer.start(HostilePeer.Behaviour.VIEW_PRESSURE, ids, victim,
        HostilePeer.Options.of(DATA_TYPE))) {
      long since = System.nanoTime();
      int[] snapshots = {0};
      overlay.await(graph -> {
        StatusView v = graph.views().get(VICTIM);
        long held = v.active().stream().filter(sybils::contains).count();
        most[0] = (int) Math.max(most[0], held);
        if (held > PER_GROUP) violations.add(held + " sybils in the victim's view: " + v.active());
        for (String honest : before.active()) {
          if (!v.active().contains(honest)) violations.add("the victim lost honest neighbour " + honest);
        }
        if (++snapshots[0] % 5 == 0) { // an honest item about every second of the pressure
          String text = "honest item " + items.size();
          try {
            ApiModule.announce(new InetSocketAddress(NetnsTopology.nodeAddress(0), API_PORT), DATA_TYPE, text);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          items.add(text);
        }
        return false;
      }, since, PRESSURE);
    }
    System.out.printf("ObservedAddressNetnsTest: at most %d of %d sybils from %s in the victim's view at once%n",
        most[0], SYBILS, OUTSIDER);
    assertThat(violations).as("what broke the bound during the pressure").isEmpty();
    assertThat(most[0]).as("sybils that got in at all: the pressure reached the victim").isPositive();
    assertThat(items).isNotEmpty();
    for (ApiModule module : modules) {
      for (String item : items) {
        await(item + " at a subscriber").atMost(DELIVERY).until(() -> module.receivedAt(item) != null);
      }
    }
  }
}
