package voidphone.gossip.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static voidphone.gossip.cli.ProcessOverlay.seconds;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.cli.ApiModule;
import voidphone.gossip.cli.GossipRunProcess;
import voidphone.gossip.cli.OverlayGraph;
import voidphone.gossip.cli.ProcessOverlay;

/**
 * A real network partition that heals: twelve {@code gossip run} processes of degree 4, each in a
 * network namespace of its own on one switched LAN ({@link NetnsTopology}), all started at once and
 * bootstrapped from node 0, driven only through their config files, their API and their admin
 * {@code /status}. Once the overlay is one component and has settled, nftables drops every packet
 * between nodes 0-5 and nodes 6-11 for {@value #CUT_SECONDS} s; one item is announced in each half
 * during the cut; then the rules are deleted and one more item is announced once the overlay is
 * whole again.
 *
 * <p>Settled means that every node knows (active or passive view) at least {@value #SETTLED_KNOWN}
 * of the other eleven, so at least two of its own half: the partition strikes a running overlay,
 * not one a second old. A node that knows only peers of the other half cannot find its own during
 * the cut (nothing names one to it: docs/protocol/membership.md, "Merging", what a probe cannot
 * fix), and right after formation such nodes exist: one run cut 0.6 s after the overlay became
 * one component left two nodes whose only peers, active and passive, were across the cut, alone
 * for the whole cut (they rejoined within a second of the heal). Shuffles (every 10 s) spread the
 * addresses within some seconds; the wait has its own bound.
 *
 * <p>Bounds (each asserted by one test below; the overlay is read from every node's active view,
 * a link counting when both ends list it):
 *
 * <ul>
 *   <li>one component within {@value #FORMATION_SECONDS} s of the last admin endpoint answering
 *       (which itself must happen within {@value #STARTUP_SECONDS} s of starting the processes:
 *       twelve JVMs coming up at once on the 2-core test machine took 14-37 s);
 *   <li>settled (above) within {@value #SETTLE_SECONDS} s of that (8-28 s measured);
 *   <li>within {@value #SPLIT_SECONDS} s of the cut, the overlay is exactly two components, the two
 *       halves: no link across the cut (links idle for 6 s are closed, docs/protocol/link.md), and
 *       a node whose neighbours were all across it has found some on its own side;
 *   <li>an item announced in each half once it is so, at every node of that half within {@value
 *       #OWN_HALF_SECONDS} s;
 *   <li>one component again within {@value #MERGE_SECONDS} s of the heal (merge probes every 5 s
 *       +-50% while peers are unreachable, docs/protocol/membership.md, "Merging");
 *   <li>an item announced at node 11 once the overlay is whole, at all twelve nodes' subscribers
 *       within {@value #DELIVERY_SECONDS} s.
 * </ul>
 *
 * <p>Whether the items announced during the cut reach the other half after the heal is reported,
 * not asserted. Every measured time, each node's views before the cut, once split, at the end of
 * the cut and after the heal, and the broadcast counters around each announce go to stdout and to
 * {@code target/netns-partition/report.txt}, with the configs and each node's log beside it.
 *
 * <p>Needs root, {@code ip} and {@code nft} ({@code scripts/install-test-deps.sh}, which ./test
 * runs, installs the tools); otherwise every test is skipped, saying why. Whatever happens, the
 * processes, namespaces, bridge and rules are removed afterwards, and a run killed before it could
 * do so is cleaned up by the next one. About 100 s: the cut, the JVMs' start and the settling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NamespacePartitionTest {
  static final int NODES = 12;
  static final int STARTUP_SECONDS = 90;
  static final int FORMATION_SECONDS = 60;
  static final int SETTLED_KNOWN = 8;
  static final int SETTLE_SECONDS = 60;
  static final int SPLIT_SECONDS = 20;
  static final int OWN_HALF_SECONDS = 15;
  static final int CUT_SECONDS = 45;
  static final int MERGE_SECONDS = 30;
  static final int DELIVERY_SECONDS = 30;
  /** How long to wait for another run of this test (another checkout on this machine) to finish. */
  private static final Duration LOCK_WAIT = Duration.ofMinutes(5);
  /** After the post-heal item arrived: how long to keep watching for the cut items (reported only). */
  private static final Duration CROSS_WATCH = Duration.ofSeconds(10);
  private static final Set<Integer> LEFT = IntStream.range(0, NODES / 2).boxed().collect(Collectors.toCollection(TreeSet::new));
  private static final Set<Integer> RIGHT = IntStream.range(NODES / 2, NODES).boxed().collect(Collectors.toCollection(TreeSet::new));
  private static final int DATA_TYPE = 4711;
  private static final int P2P_PORT = 7000;
  private static final int API_PORT = 7001;
  private static final int ADMIN_PORT = 7002;
  private static final int LEFT_ANNOUNCER = 2;
  private static final int RIGHT_ANNOUNCER = 9;
  private static final int HEAL_ANNOUNCER = 11;
  private static final String LEFT_ITEM = "announced at n2 during the cut";
  private static final String RIGHT_ITEM = "announced at n9 during the cut";
  private static final String HEAL_ITEM = "announced at n11 after the heal";
  /** /status counters reported around each announce: how the item travelled (eager push, or repair). */
  private static final String[] ITEM_COUNTERS = {"payload_received", "duplicates_received", "ihave_received", "graft_sent", "grafts_unanswered"};

  private final Path runDir = Path.of("target", "netns-partition");
  private final List<GossipRunProcess> nodes = new ArrayList<>();
  private final List<ApiModule> modules = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();
  private final Map<String, OverlayGraph> snapshots = new LinkedHashMap<>();
  private NetnsTopology net;
  private ProcessOverlay overlay;
  private Thread killOnExit;

  /** Where the scenario stopped early, and why; null if it ran to the end. */
  private String stopped;
  private Duration formation;
  private Duration settled;
  private Duration split;
  private volatile Duration noLinkAcross;
  private Duration leftItemInLeft;
  private Duration rightItemInRight;
  private Duration merge;
  private Duration healItemEverywhere;

  @BeforeAll
  void runScenario() throws Exception {
    String why = NetnsTopology.whyUnavailable();
    assumeTrue(why == null, why);
    long creating = System.nanoTime();
    try {
      net = NetnsTopology.create(NODES, LOCK_WAIT);
    } catch (NetnsTopology.Busy e) {
      assumeTrue(false, e.getMessage());
    }
    killOnExit = new Thread(this::stopEverything, "netns-partition-cleanup"); // the surefire JVM stopped mid-run
    Runtime.getRuntime().addShutdownHook(killOnExit);
    note("namespaces, bridge and addresses made in %s", seconds(Duration.ofNanos(System.nanoTime() - creating)));
    try {
      scenario();
    } catch (Throwable t) {
      stopped = "the scenario failed: " + t;
      report.append("scenario failed: ").append(t).append('\n');
      throw t;
    } finally {
      writeReport();
    }
  }

  private void scenario() throws Exception {
    startNodes();
    long started = System.nanoTime();
    List<String> admins = IntStream.range(0, NODES).mapToObj(i -> NetnsTopology.nodeAddress(i) + ":" + ADMIN_PORT).toList();
    overlay = new ProcessOverlay(nodes, admins);
    Duration up = overlay.await(graph -> true, started, Duration.ofSeconds(STARTUP_SECONDS));
    if (up == null) {
      stop("not every admin endpoint answered within " + STARTUP_SECONDS + " s of the start:\n" + overlay.describeLast());
      return;
    }
    long allUp = System.nanoTime();
    for (int i = 0; i < NODES; i++) {
      modules.add(ApiModule.subscribe("n" + i, api(i), DATA_TYPE));
    }
    formation = overlay.await(OverlayGraph::connected, allUp, Duration.ofSeconds(FORMATION_SECONDS));
    note("all 12 admin endpoints answered %s after the start; one component %s after that (%s after the start)",
        seconds(up), seconds(formation), seconds(formation == null ? null : up.plus(formation)));
    if (formation == null) {
      snapshots.put("no component within the bound", overlay.last());
      stop("the overlay was not one component within " + FORMATION_SECONDS + " s:\n" + overlay.describeLast());
      return;
    }

    settled = overlay.await(graph -> graph.connected() && graph.leastKnown() >= SETTLED_KNOWN, System.nanoTime(),
        Duration.ofSeconds(SETTLE_SECONDS));
    note("settled (one component, every node knowing at least %d others) %s after that", SETTLED_KNOWN, seconds(settled));
    if (settled == null) {
      stop("the overlay did not settle within " + SETTLE_SECONDS + " s:\n" + overlay.describeLast());
      return;
    }
    snapshots.put("before the cut", overlay.snapshot());
    long cutAt = System.nanoTime();
    net.cut(LEFT, RIGHT);
    List<Set<Integer>> halves = List.of(LEFT, RIGHT);
    split = overlay.await(graph -> {
      if (noLinkAcross == null && graph.linksAcross(LEFT).isEmpty()) noLinkAcross = Duration.ofNanos(System.nanoTime() - cutAt);
      return Set.copyOf(graph.components()).equals(Set.copyOf(halves));
    }, cutAt, Duration.ofSeconds(SPLIT_SECONDS));
    snapshots.put("once split (" + (split != null ? "the two halves, " + seconds(split) + " after the cut" : "at the " + SPLIT_SECONDS + " s bound") + ")", overlay.last());
    note("cut at +%s; no link across it %s after the cut, the two halves exactly %s after it",
        seconds(Duration.ofNanos(cutAt - started)), seconds(noLinkAcross), seconds(split));

    OverlayGraph beforeCutItems = overlay.snapshot();
    long leftAnnounced = announce(LEFT_ANNOUNCER, LEFT_ITEM);
    long rightAnnounced = announce(RIGHT_ANNOUNCER, RIGHT_ITEM);
    leftItemInLeft = awaitDelivery(LEFT_ITEM, leftAnnounced, LEFT, Duration.ofSeconds(OWN_HALF_SECONDS));
    rightItemInRight = awaitDelivery(RIGHT_ITEM, rightAnnounced, RIGHT, Duration.ofSeconds(OWN_HALF_SECONDS));
    note("during the cut: the item of n%d at all of n0-n5 after %s, the item of n%d at all of n6-n11 after %s; per node (ms after its announce): %s; %s",
        LEFT_ANNOUNCER, seconds(leftItemInLeft), RIGHT_ANNOUNCER, seconds(rightItemInRight),
        arrivals(LEFT_ITEM, leftAnnounced, LEFT), arrivals(RIGHT_ITEM, rightAnnounced, RIGHT));
    note("what the nodes counted meanwhile:%n%s", overlay.snapshot().countersSince(beforeCutItems, ITEM_COUNTERS));

    long cutEnds = cutAt + Duration.ofSeconds(CUT_SECONDS).toNanos();
    Thread.sleep(Math.max(0, (cutEnds - System.nanoTime()) / 1_000_000)); // the cut lasts a fixed time: nothing to await
    OverlayGraph endOfCut = overlay.snapshot();
    snapshots.put("at the end of the cut", endOfCut);
    note("at the end of the cut: links across %s, components %s", endOfCut.linksAcross(LEFT), endOfCut.components());

    long healedAt = System.nanoTime();
    net.heal();
    merge = overlay.await(OverlayGraph::connected, healedAt, Duration.ofSeconds(MERGE_SECONDS));
    snapshots.put("after the heal (" + (merge != null ? "one component, " + seconds(merge) + " after it" : "at the " + MERGE_SECONDS + " s bound") + ")", overlay.last());
    note("healed after %s of cut; one component %s after the heal", seconds(Duration.ofNanos(healedAt - cutAt)), seconds(merge));

    OverlayGraph beforeHealItem = overlay.snapshot();
    long healAnnounced = announce(HEAL_ANNOUNCER, HEAL_ITEM);
    healItemEverywhere = awaitDelivery(HEAL_ITEM, healAnnounced, allNodes(), Duration.ofSeconds(DELIVERY_SECONDS));
    note("the item announced at n%d after the heal: at all 12 nodes after %s; per node (ms after its announce): %s",
        HEAL_ANNOUNCER, seconds(healItemEverywhere), arrivals(HEAL_ITEM, healAnnounced));
    note("what the nodes counted meanwhile:%n%s", overlay.snapshot().countersSince(beforeHealItem, ITEM_COUNTERS));

    // Reported, not asserted: do the items of the cut reach the other half once it is healed?
    long watchEnds = System.nanoTime() + CROSS_WATCH.toNanos();
    awaitDelivery(LEFT_ITEM, healedAt, allNodes(), Duration.ofNanos(Math.max(0, watchEnds - healedAt)));
    awaitDelivery(RIGHT_ITEM, healedAt, allNodes(), Duration.ofNanos(Math.max(0, watchEnds - healedAt)));
    note("the cut's items after the heal (ms after it, negative: before it; '-': not there %s after the wait for the"
            + " post-heal item):%n  n%d's: %s%n  n%d's: %s", seconds(CROSS_WATCH),
        LEFT_ANNOUNCER, arrivals(LEFT_ITEM, healedAt), RIGHT_ANNOUNCER, arrivals(RIGHT_ITEM, healedAt));
    for (ApiModule module : modules) {
      if (module.failure() != null) note("%s", module.failure());
    }
  }

  @Test
  void twelveNodesStartedAtOnceFormOneComponentWithin60sOfAllBeingUp() {
    assertThat(formation).as("time from the last admin endpoint up to one component\n%s", details()).isNotNull();
  }

  @Test
  void theOverlaySettlesWithEveryNodeKnowingEightOthersWithin60s() {
    requireFormed();
    assertThat(settled).as("time from one component to every node knowing %d others\n%s", SETTLED_KNOWN, details()).isNotNull();
  }

  @Test
  void theCutSplitsTheOverlayIntoExactlyTheTwoHalvesWithin20s() {
    requireReached();
    assertThat(split).as("time from the cut to the two halves as the only components\n%s", details()).isNotNull();
  }

  @Test
  void itemsAnnouncedDuringTheCutReachTheirWholeHalfWithin15s() {
    requireReached();
    assertThat(leftItemInLeft).as("n%d's item at n0-n5\n%s", LEFT_ANNOUNCER, details()).isNotNull();
    assertThat(rightItemInRight).as("n%d's item at n6-n11\n%s", RIGHT_ANNOUNCER, details()).isNotNull();
  }

  @Test
  void theOverlayIsOneComponentAgainWithin30sOfTheHeal() {
    requireReached();
    assertThat(merge).as("time from the heal to one component\n%s", details()).isNotNull();
  }

  @Test
  void anItemAnnouncedAfterTheHealReachesASubscriberAtEveryNodeWithin30s() {
    requireReached();
    assertThat(healItemEverywhere).as("time from the announce to the last of the 12 subscribers\n%s", details()).isNotNull();
  }

  /** The notes so far and every snapshot's views: what a failed assertion shows. */
  private String details() {
    StringBuilder b = new StringBuilder(report);
    snapshots.forEach((when, graph) -> b.append("views ").append(when).append(":\n").append(graph == null ? "(none)\n" : graph.describe()));
    return b.toString();
  }

  private void requireFormed() {
    assertThat(formation).as("the overlay never formed\n%s", details()).isNotNull();
  }

  private void requireReached() {
    assertThat(stopped).as("the scenario did not get this far\n%s", details()).isNull();
  }

  @AfterAll
  void cleanUp() throws Exception {
    if (killOnExit == null) return; // skipped before anything was made
    stopEverything();
    Runtime.getRuntime().removeShutdownHook(killOnExit);
  }

  private synchronized void stopEverything() {
    for (ApiModule module : modules) module.close();
    GossipRunProcess.closeAll(nodes);
    if (overlay != null) overlay.close();
    try {
      if (net != null) net.removeAll();
    } catch (IOException | InterruptedException e) {
      System.err.println("NamespacePartitionTest: cleanup failed (the next run removes what is left): " + e);
    }
  }

  /** Keys, configs and processes for all twelve nodes; the processes are started back to back. */
  private void startNodes() throws IOException {
    long begun = System.nanoTime();
    GossipRunProcess.freshDirectory(runDir);
    for (int i = 0; i < NODES; i++) Files.createDirectories(runDir.resolve("node-" + i));
    IntStream.range(0, NODES).parallel().forEach(i -> {
      try {
        ProcessOverlay.writeHostkey(runDir.resolve("node-" + i).resolve("hostkey.pem"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    for (int i = 0; i < NODES; i++) {
      String address = NetnsTopology.nodeAddress(i);
      Files.writeString(runDir.resolve("node-" + i).resolve("gossip.ini"), """
          ; node %d of NamespacePartitionTest, run in network namespace %s
          hostkey = hostkey.pem
          [gossip]
          p2p_address = %s:%d
          api_address = %s:%d
          admin_address = %s:%d
          %s
          degree = 4
          pow_difficulty = 8
          ; All twelve nodes share one /24 (%s0/24): the default bound of 4 peers per /24 (an
          ; anti-eclipse rule for the internet) would keep each view to 4 of the 11 others.
          max_peers_per_subnet = 0
          """.formatted(i, NetnsTopology.nodeNamespace(i), address, P2P_PORT, address, API_PORT, address, ADMIN_PORT,
          i == 0 ? "; no bootstrapper: node 0 starts the network" : "bootstrapper = " + NetnsTopology.nodeAddress(0) + ":" + P2P_PORT,
          NetnsTopology.SUBNET));
    }
    note("12 hostkeys and configs written in %s", seconds(Duration.ofNanos(System.nanoTime() - begun)));
    for (int i = 0; i < NODES; i++) {
      Path dir = runDir.resolve("node-" + i).toAbsolutePath();
      nodes.add(GossipRunProcess.start("n" + i, dir.resolve("gossip.ini"), net.execIn(i), dir.resolve("node.log")));
    }
  }

  private static InetSocketAddress api(int node) {
    return new InetSocketAddress(NetnsTopology.nodeAddress(node), API_PORT);
  }

  private static Set<Integer> allNodes() {
    return IntStream.range(0, NODES).boxed().collect(Collectors.toCollection(TreeSet::new));
  }

  /** Announces {@code text} at {@code node}'s API; returns when, in {@link System#nanoTime()}. */
  private static long announce(int node, String text) throws IOException {
    long at = System.nanoTime();
    ApiModule.announce(api(node), DATA_TYPE, text);
    return at;
  }

  /**
   * Polls the subscribers of {@code at} until each has {@code text}; the time from {@code since} to
   * the last arrival, or null if one had not got it {@code bound} after {@code since}.
   */
  private Duration awaitDelivery(String text, long since, Set<Integer> at, Duration bound) throws InterruptedException {
    long deadline = since + bound.toNanos();
    while (true) {
      long last = Long.MIN_VALUE;
      boolean all = true;
      for (int i : at) {
        Long t = modules.get(i).receivedAt(text);
        if (t == null) {
          all = false;
          break;
        }
        last = Math.max(last, t);
      }
      if (all) return Duration.ofNanos(last - since);
      if (System.nanoTime() - deadline > 0) return null;
      Thread.sleep(20); // the modules record arrivals on their own threads; polling them is enough here
    }
  }

  /** Each node's arrival of {@code text} in ms after {@code since}, {@code -} if none. */
  private String arrivals(String text, long since) {
    return arrivals(text, since, allNodes());
  }

  private String arrivals(String text, long since, Set<Integer> at) {
    return at.stream().map(i -> {
      Long t = modules.get(i).receivedAt(text);
      return "n" + i + "=" + (t == null ? "-" : Long.toString((t - since) / 1_000_000));
    }).collect(Collectors.joining(" "));
  }

  private void note(String format, Object... args) {
    String line = String.format(format, args);
    report.append(line).append('\n');
    System.out.println("NamespacePartitionTest: " + line);
  }


  private void stop(String why) {
    stopped = why;
    note("stopped: %s", why);
  }

  private void writeReport() throws IOException {
    StringBuilder b = new StringBuilder(report);
    snapshots.forEach((when, graph) -> {
      b.append("\n--- views ").append(when).append('\n').append(graph == null ? "(none)\n" : graph.describe());
      if (graph != null) graph.views().forEach(v -> b.append(v.json()).append('\n'));
    });
    Files.createDirectories(runDir);
    Files.writeString(runDir.resolve("report.txt"), b);
    snapshots.forEach((when, graph) -> System.out.println("NamespacePartitionTest: views " + when + ":\n" + (graph == null ? "(none)" : graph.describe())));
  }
}
