package voidphone.gossip.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import voidphone.gossip.cli.GossipRunProcess;
import voidphone.gossip.cli.OverlayGraph;
import voidphone.gossip.cli.ProcessOverlay;
import voidphone.gossip.cli.StatusView;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.hostile.HostilePeer.Behaviour;
import voidphone.gossip.hostile.HostilePeer.Kind;
import voidphone.gossip.hostile.HostilePeer.Malformation;
import voidphone.gossip.hostile.HostilePeer.MalformedOutcome;
import voidphone.gossip.hostile.HostilePeer.Options;
import voidphone.gossip.link.ControlMessage;

/**
 * The hostile peer against real processes (docs/SECURITY.md, "Hostile peer against real
 * processes"): five {@code gossip run} nodes of degree 4 on loopback, each with a module that
 * judges items by their content, and one misbehaviour per test against one of them while honest
 * items stream in through the API. Each test asserts the response the documents give for its
 * misbehaviour, and that every honest module was notified of every honest item exactly once.
 *
 * <p>The nodes are started once for the class (five JVMs on two cores take seconds); each test
 * waits until they are one complete overlay again (every node the neighbour of every other, so
 * every active view is full) and attacks with identities nobody has seen, so that no test depends
 * on another. Keys, configs and logs: {@code target/hostile-peer/}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostilePeerProcessTest {
  static final int NODES = 5;
  static final int DEGREE = 4;
  static final int POW_BITS = 8;
  static final int DATA_TYPE = 4242;
  /** Honest items: ten a second, each at the next node. */
  static final Duration ITEM_INTERVAL = Duration.ofMillis(100);
  /** Five JVMs on two cores, each proving its work and joining. */
  static final Duration STARTUP = Duration.ofSeconds(90);
  /** From a test's end to a complete overlay again: refills happen at once, or at the next shuffle (10 s). */
  static final Duration HEAL = Duration.ofSeconds(40);
  /** From the stream's end until every module has every item: repairs take at most a second or two. */
  static final Duration DELIVERY = Duration.ofSeconds(20);
  static final int SYBILS = 30;

  private final Path runDir = Path.of("target", "hostile-peer");
  private final List<GossipRunProcess> nodes = new ArrayList<>();
  private final List<HonestModule> modules = new ArrayList<>();
  private final List<InetSocketAddress> apis = new ArrayList<>();
  private final List<PeerAddress> p2ps = new ArrayList<>();
  private final List<String> honestIds = new ArrayList<>();
  private ProcessOverlay overlay;
  /** Identities cost an RSA key each: made while the nodes start, handed out fresh to each test. */
  private CompletableFuture<List<HostileIdentity>> identityPool;
  private final ArrayDeque<HostileIdentity> unused = new ArrayDeque<>();
  private String testName;

  @BeforeAll
  void startHonestNodes() throws Exception {
    identityPool = CompletableFuture.supplyAsync(() -> HostileIdentity.make(
        5 + Malformation.values().length + SYBILS, POW_BITS));
    Path[] configs = writeNodeDirs(freePort());
    for (int i = 0; i < NODES; i++) {
      nodes.add(GossipRunProcess.start("n" + i, configs[i], List.of(), configs[i].resolveSibling("node.log")));
    }
    long started = System.nanoTime();
    List<String> admins = new ArrayList<>();
    for (GossipRunProcess node : nodes) {
      long left = STARTUP.toNanos() - (System.nanoTime() - started);
      admins.add(node.awaitAdminAddress(Duration.ofNanos(Math.max(0, left))));
    }
    overlay = new ProcessOverlay(nodes, admins);
    assertThat(overlay.await(HostilePeerProcessTest::complete, started, STARTUP))
        .as("a complete overlay of the %d honest nodes within %s of the start:%n%s", NODES, STARTUP, overlay.describeLast())
        .isNotNull();
    for (StatusView view : overlay.last().views()) {
      honestIds.add(view.identity());
      apis.add(socketAddress(field(view.json(), "api_address")));
      InetSocketAddress p2p = socketAddress(field(view.json(), "p2p_address"));
      p2ps.add(new PeerAddress(p2p.getHostString(), p2p.getPort()));
    }
    for (int i = 0; i < NODES; i++) modules.add(HonestModule.subscribe("n" + i, apis.get(i), DATA_TYPE));
    unused.addAll(identityPool.get());
    testName = "startHonestNodes";
    note("%d nodes one complete overlay, %d hostile identities made, %s after the start",
        NODES, unused.size(), ProcessOverlay.seconds(Duration.ofNanos(System.nanoTime() - started)));
  }

  @BeforeEach
  void awaitACompleteOverlay(TestInfo info) throws Exception {
    testName = info.getTestMethod().orElseThrow().getName();
    assertThat(overlay.await(HostilePeerProcessTest::complete, System.nanoTime(), HEAL))
        .as("the honest nodes one complete overlay again before %s:%n%s", testName, overlay.describeLast())
        .isNotNull();
  }

  @AfterEach
  void noHonestPeerWasPenalised() {
    // whatever the attack, an honest node never holds an honest one to account
    for (GossipRunProcess node : nodes) {
      for (String line : node.log().lines().toList()) {
        if (!line.contains("banned ") && !line.contains(" sent ") && !line.contains("protocol violation by")) continue;
        for (String id : honestIds) {
          assertThat(line).as("%s penalised an honest peer", node.name()).doesNotContain(id);
        }
      }
    }
  }

  @AfterAll
  void stopNodes() {
    modules.forEach(HonestModule::close);
    GossipRunProcess.closeAll(nodes);
    if (overlay != null) overlay.close();
  }

  // ------------------------------------------------------------------ the tests

  /**
   * PROTOCOL.md, "Accountability": an item a local module judged invalid costs its sender 26
   * points, four ban it; a banned peer's link is closed and its handshakes refused with
   * REFUSE(BANNED). Here the items come 20 a second (twice the simulator's invalid flood), slower
   * than the victim's module answers even on a loaded machine, so that the count measures the rule
   * rather than the load: at 100 a second the victim judged 4 to 9 items, depending on how busy the
   * machine was (the verdicts of the items in flight count too, see the next test).
   */
  @Test
  void invalidItemsFloodIsCutOffAfterAtMostTenAndRefusedOnReconnect() throws Exception {
    invalidItemsFlood(1, Options.of(DATA_TYPE).withFloodInterval(Duration.ofMillis(50)));
  }

  /**
   * The same flood without pause: 200 items every 10 ms, far faster than the verdicts come back.
   * Only six items of one peer await a verdict at once, the rest wait unseen (broadcast.md,
   * "per-sender window"), so the module judges the six and one more after each of the three
   * verdicts before the ban: 9 at most, however fast the flood (before the window: 64 of 192).
   */
  @Test
  void anUnpacedInvalidItemsFloodIsCutOffAfterAtMostTen() throws Exception {
    invalidItemsFlood(3, Options.of(DATA_TYPE).withInvalidItemsPerTick(200));
  }

  private void invalidItemsFlood(int victim, Options options) throws Exception {
    StatusView before = status(victim);
    long[] rejectedBefore = modules.stream().mapToLong(HonestModule::rejected).toArray();
    List<HostileIdentity> ids = take(1);
    NodeId hostileId = ids.getFirst().id();
    List<String> items;
    long written;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.INVALID_ITEMS, ids, p2ps.get(victim), options)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> hostile.refusedAsBanned(hostileId));
      assertThat(hostile.events(hostileId, Kind.ACCEPTED)).as("it was the victim's neighbour").isNotEmpty();
      assertThat(hostile.events(hostileId, Kind.LINK_DOWN)).as("the victim closed its link").isNotEmpty();
      written = hostile.invalidItemsWritten();
      awaitStreamLength(stream, 30);
      items = stream.stop();
    }
    assertEveryItemNotifiedOnceEverywhere(items);
    StatusView after = status(victim);
    long judged = modules.get(victim).rejected() - rejectedBefore[victim];
    note("%d invalid items judged at the victim before it cut the hostile peer off (%d written)", judged, written);
    assertThat(judged).as("invalid items the victim's module judged before the victim cut the hostile peer off")
        .isBetween(4L, 10L);
    for (int i = 0; i < NODES; i++) {
      if (i == victim) continue;
      assertThat(modules.get(i).rejected() - rejectedBefore[i])
          .as("invalid items that reached n%d: validation gates forwarding", i).isZero();
    }
    assertThat(after.counter("handshakes_refused") - before.counter("handshakes_refused"))
        .as("the reconnect refused at the handshake").isPositive();
    assertThat(nodes.get(victim).log()).contains("banned " + hostileId.hex() + " for 600 s after INVALID_ITEM");
  }

  /**
   * SECURITY.md, "The per-neighbour allowance": each cached id is answered to a neighbour once (at
   * most 128 a second), unknown ids not at all, and GRAFTs are no offence. So a neighbour that
   * GRAFTs 64 ids a hundred times a second, the ids of every item it was pushed among them, gets
   * each item at most twice: the push and one answer.
   */
  @Test
  void graftFloodGetsEachItemAnsweredOnceAndNoMore() throws Exception {
    int victim = 2;
    StatusView before = status(victim);
    List<HostileIdentity> ids = take(1);
    NodeId hostileId = ids.getFirst().id();
    List<String> items;
    Map<ItemId, Integer> payloads;
    long floods;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.GRAFT_FLOOD, ids, p2ps.get(victim), Options.of(DATA_TYPE))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !hostile.events(hostileId, Kind.ACCEPTED).isEmpty());
      awaitStreamLength(stream, 40); // four seconds of flooding while items go by
      items = stream.stop();
      payloads = hostile.payloadsReceived();
      floods = hostile.floodMessagesWritten();
      assertThat(hostile.refusedAsBanned(hostileId)).as("a GRAFT is no offence").isFalse();
    }
    assertEveryItemNotifiedOnceEverywhere(items);
    StatusView after = status(victim);
    note("%d GRAFTs of 64 ids flooded; %d items sent to the hostile peer, at most %d copies of one; victim: %d GRAFTed ids refused, %d unanswered",
        floods, payloads.size(), payloads.values().stream().mapToInt(Integer::intValue).max().orElse(0),
        after.counter("grafts_refused") - before.counter("grafts_refused"),
        after.counter("grafts_unanswered") - before.counter("grafts_unanswered"));
    assertThat(floods).as("GRAFTs flooded").isGreaterThan(100);
    assertThat(payloads).as("items the hostile peer was sent").isNotEmpty();
    assertThat(payloads.values()).as("copies of each item sent to the hostile peer").allMatch(n -> n <= 2);
    assertThat(after.counter("grafts_refused") - before.counter("grafts_refused"))
        .as("GRAFTs of ids answered to it before, refused").isPositive();
    assertThat(after.counter("grafts_unanswered") - before.counter("grafts_unanswered"))
        .as("GRAFTed ids the victim never had").isPositive();
    assertThat(nodes.get(victim).log()).doesNotContain("banned " + hostileId.hex());
  }

  /**
   * SECURITY.md, "The per-neighbour allowance": unseen ids are tracked 1,024 a second (the rest of
   * an IHAVE ignored), 8 GRAFTs at most await its answer, each unanswered GRAFT is a strike and
   * each strike beyond 16 an offence of 26 points: four more ban it. So the flood draws at most
   * 16 + 4 + 8 GRAFTs before the link is closed, and the reconnect is refused.
   */
  @Test
  void ihaveFloodDrawsAtMost28GraftsThenIsBannedAndRefusedOnReconnect() throws Exception {
    int victim = 3;
    StatusView before = status(victim);
    List<HostileIdentity> ids = take(1);
    NodeId hostileId = ids.getFirst().id();
    List<String> items;
    long graftIds;
    long floods;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.IHAVE_FLOOD, ids, p2ps.get(victim),
            Options.of(DATA_TYPE).withFloodInterval(Duration.ofMillis(25)))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> hostile.refusedAsBanned(hostileId));
      graftIds = hostile.graftIdsReceived();
      floods = hostile.floodMessagesWritten();
      awaitStreamLength(stream, 30);
      items = stream.stop();
    }
    assertEveryItemNotifiedOnceEverywhere(items);
    StatusView after = status(victim);
    note("%d IHAVEs of 1,024 unknown ids flooded; the victim GRAFTed %d ids, dropped %d announced ids, and banned it",
        floods, graftIds, after.counter("announcements_dropped") - before.counter("announcements_dropped"));
    assertThat(floods).as("IHAVEs of 1,024 unknown ids flooded").isGreaterThan(2);
    assertThat(graftIds).as("ids the victim GRAFTed from the hostile peer before banning it").isBetween(20L, 28L);
    assertThat(after.counter("announcements_dropped") - before.counter("announcements_dropped"))
        .as("announced ids beyond the allowance, ignored").isPositive();
    assertThat(nodes.get(victim).log()).contains("banned " + hostileId.hex() + " for 600 s after FALSE_ANNOUNCEMENT");
  }

  /**
   * link.md, "Limits": bytes queued for one peer are bounded at 4 MiB, frames beyond are dropped,
   * and a queue full for 10 s closes the link as stalled. A peer that stops reading while it keeps
   * the link alive (its PINGs make the victim queue PONGs) is let go that way, and holds up nobody
   * else meanwhile. Stalling is no offence: it may link again.
   */
  @Test
  void stalledReaderIsClosedAfterItsQueueStaysFullForTenSecondsWithoutHoldingUpOthers() throws Exception {
    int victim = 4;
    StatusView before = status(victim);
    List<HostileIdentity> ids = take(1);
    NodeId hostileId = ids.getFirst().id();
    List<String> items;
    long stalledAt;
    long closedAt;
    long pings;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.STALL_READING, ids, p2ps.get(victim), Options.of(DATA_TYPE))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !hostile.events(hostileId, Kind.STALLED).isEmpty());
      await().atMost(Duration.ofSeconds(40)).until(() -> !hostile.events(hostileId, Kind.LINK_DOWN).isEmpty());
      stalledAt = hostile.events(hostileId, Kind.STALLED).getFirst().atNanos();
      closedAt = hostile.events(hostileId, Kind.LINK_DOWN).getFirst().atNanos();
      pings = hostile.pingsWritten();
      await().atMost(Duration.ofSeconds(10)).until(hostile::scriptDone);
      assertThat(hostile.events(hostileId, Kind.LINK_UP)).as("linked again after the stall: no ban").hasSize(2);
      items = stream.stop();
    }
    assertEveryItemNotifiedOnceEverywhere(items);
    StatusView after = status(victim);
    note("closed %s after it stopped reading (%d PINGs written); the victim dropped %d frames to it",
        ProcessOverlay.seconds(Duration.ofNanos(closedAt - stalledAt)), pings,
        after.counter("frames_dropped") - before.counter("frames_dropped"));
    assertThat(nodes.get(victim).log())
        .containsPattern("link down " + hostileId.hex() + " \\S+: stalled: send queue full for 10000 ms");
    assertThat(Duration.ofNanos(closedAt - stalledAt)).as("from the stall to the close")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(10)).isLessThan(Duration.ofSeconds(30));
    assertThat(after.counter("frames_dropped") - before.counter("frames_dropped"))
        .as("frames to the stalled peer dropped once its queue was full").isPositive();
  }

  /**
   * PROTOCOL.md, "Accountability": a violation of the link protocol itself (an unknown control
   * frame, an empty frame, a HELLO out of place) is answered with REFUSE(PROTOCOL_VIOLATION) and
   * the link closed; a length beyond the frame limit, or a frame the node core cannot read (an
   * unknown channel, an undecodable membership message, trailing bytes after a broadcast message)
   * closes it without a REFUSE. Each is a protocol violation, which bans at once.
   */
  @Test
  void malformedFramesAfterTheHandshakeCloseTheLinkAsDocumentedAndBan() throws Exception {
    int victim = 0;
    List<HostileIdentity> ids = take(Malformation.values().length);
    List<String> items;
    List<MalformedOutcome> outcomes;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.MALFORMED_AFTER_HANDSHAKE, ids, p2ps.get(victim), Options.of(DATA_TYPE))) {
      await().atMost(Duration.ofSeconds(60)).until(hostile::scriptDone);
      outcomes = hostile.malformedOutcomes();
      awaitStreamLength(stream, 30);
      items = stream.stop();
    }
    assertEveryItemNotifiedOnceEverywhere(items);
    String log = nodes.get(victim).log();
    for (MalformedOutcome o : outcomes) {
      note("%s: link %s%s; reconnect: %s", o.malformation(), o.ending() == null ? "?" : o.ending().how(),
          o.ending() == null || o.ending().refusal() == null ? " without a REFUSE" : " after REFUSE(" + o.ending().refusal().reason() + ")",
          o.failure() != null ? o.failure() : o.reconnect() == null ? "accepted" : "REFUSE(" + o.reconnect().reason() + ")");
    }
    SoftAssertions soft = new SoftAssertions();
    soft.assertThat(outcomes).extracting(MalformedOutcome::malformation).containsExactly(Malformation.values());
    for (MalformedOutcome o : outcomes) {
      String what = o.malformation().toString();
      soft.assertThat(o.failure()).as(what + ": the script ran").isNull();
      if (o.failure() != null) continue;
      soft.assertThat(o.ending().closed()).as(what + ": the victim closed the link").isTrue();
      if (o.malformation().answeredWithRefuse) {
        soft.assertThat(o.ending().refusal()).as(what + ": answered with a REFUSE").isNotNull();
        if (o.ending().refusal() != null) {
          soft.assertThat(o.ending().refusal().reason()).as(what).isEqualTo(ControlMessage.Reason.PROTOCOL_VIOLATION);
        }
      } else {
        soft.assertThat(o.ending().refusal()).as(what + ": closed without a REFUSE").isNull();
      }
      soft.assertThat(o.reconnect()).as(what + ": the reconnect refused").isNotNull();
      if (o.reconnect() != null) soft.assertThat(o.reconnect().reason()).as(what).isEqualTo(ControlMessage.Reason.BANNED);
      soft.assertThat(log).as(what).contains("protocol violation by " + o.identity().hex())
          .contains("banned " + o.identity().hex() + " for 600 s after PROTOCOL_VIOLATION");
    }
    soft.assertAll();
  }

  /**
   * membership.md, "Eviction": a high-priority NEIGHBOR evicts the victim's newest neighbour and a
   * JOIN a random one of its newer half, so thirty identities that JOIN and press one node hold at
   * most half of its slots (2 of 4), never the neighbours it has had for longer. (With the JOIN
   * evicting the newest too they held one; that rule made the broadcast tree of 10,000 nodes a
   * quarter deeper, docs/BENCHMARKS.md.) They come from one address (loopback, which the
   * anti-eclipse bound exempts, so that bound cannot help here), each advertises a /24 of its own,
   * and they only press: the victim's own requests to them are refused at once (the next test
   * takes them). Judged by the victim's /status all through the pressure.
   */
  @Test
  void thirtyIdentitiesFromOneAddressThatOnlyPressHoldAtMostHalfTheSlotsOfTheVictim() throws Exception {
    viewPressure(2, Options.of(DATA_TYPE));
  }

  /**
   * The same pressure from identities that make the victim's own requests to them cross their
   * presses: their advertised addresses hang (a tarpit), so a request of the victim's (ending a
   * sybil's join walk, which in five nodes often comes back to the victim; a refill; a merge probe)
   * is still out when the sybil's next NEIGHBOR(high) comes. Crossing requests evicted a random
   * neighbour, an old honest one three times in four, up to a full eclipse; now a high-priority
   * request evicts the newest, crossing or not (membership.md, "Eviction"), and the bound is the
   * same as for identities that only press.
   */
  @Test
  void thirtyIdentitiesThatCrossTheVictimsOwnRequestsHoldAtMostHalfTheSlotsOfTheVictim() throws Exception {
    viewPressure(2, Options.of(DATA_TYPE).withSybilTactic(HostilePeer.SybilTactic.CROSS_OWN_REQUESTS));
  }

  private void viewPressure(int victim, Options options) throws Exception {
    StatusView start = status(victim);
    Set<String> heldBefore = new HashSet<>(start.active());
    List<HostileIdentity> ids = take(SYBILS);
    Set<String> sybils = new HashSet<>();
    for (HostileIdentity id : ids) sybils.add(id.id().hex());
    List<String> violations = new ArrayList<>();
    int[] snapshots = {0};
    int[] mostSybils = {0};
    int[] leastKept = {DEGREE};
    List<String> items;
    List<HostilePeer.Event> events;
    try (HonestStream stream = startStream();
        HostilePeer hostile = HostilePeer.start(Behaviour.VIEW_PRESSURE, ids, p2ps.get(victim), options)) {
      // judged over a stretch of time, not awaited: the property must hold at every moment
      long since = System.nanoTime();
      overlay.await(graph -> {
        snapshots[0]++;
        StatusView v = graph.views().get(victim);
        long held = v.active().stream().filter(sybils::contains).count();
        long kept = v.active().stream().filter(heldBefore::contains).count();
        mostSybils[0] = (int) Math.max(mostSybils[0], held);
        leastKept[0] = (int) Math.min(leastKept[0], kept);
        if (held > DEGREE / 2) violations.add(held + " sybils in the victim's view: " + v.active());
        if (kept < DEGREE / 2) violations.add("the victim kept " + kept + " of its " + DEGREE + " neighbours: " + v.active());
        if (!graph.connected()) violations.add("honest nodes split:\n" + graph.describe());
        return false;
      }, since, Duration.ofSeconds(10));
      events = hostile.events();
      items = stream.stop();
    }
    Set<NodeId> accepted = new HashSet<>();
    long evictions = 0;
    for (HostilePeer.Event e : events) {
      if (e.kind() == Kind.ACCEPTED) accepted.add(e.identity());
      if (e.kind() == Kind.EVICTED) evictions++;
    }
    note("%d snapshots of the victim over 10 s: at most %d sybils in its view at once, at least %d of its %d neighbours kept; "
        + "%d identities accepted, %d evictions", snapshots[0], mostSybils[0], leastKept[0], DEGREE, accepted.size(), evictions);
    assertEveryItemNotifiedOnceEverywhere(items);
    assertThat(accepted).as("identities the victim took as neighbour: insisting is always accepted").hasSize(SYBILS);
    assertThat(evictions).as("sybils the victim evicted to take the next one").isGreaterThanOrEqualTo(SYBILS);
    assertThat(snapshots[0]).as("snapshots of the victim's view").isGreaterThan(10);
    assertThat(violations).as("over %d snapshots (at most %d sybils at once)", snapshots[0], mostSybils[0]).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /** Every node lists every other as a neighbour: the overlay of five nodes of degree 4, complete. */
  private static boolean complete(OverlayGraph graph) {
    for (int a = 0; a < graph.views().size(); a++) {
      for (int b = a + 1; b < graph.views().size(); b++) {
        if (!graph.linked(a, b)) return false;
      }
    }
    return true;
  }

  private HonestStream startStream() throws IOException {
    return HonestStream.start(testName, apis, DATA_TYPE, ITEM_INTERVAL);
  }

  /** The stream runs on until it has announced {@code n} items: the attack goes on meanwhile. */
  private static void awaitStreamLength(HonestStream stream, int n) {
    await().atMost(Duration.ofSeconds(30)).until(() -> stream.count() >= n);
  }

  /**
   * Every honest module, the announcing node's own included, is notified of every honest item,
   * and of none twice. Awaited for the items still in flight when the stream stopped.
   */
  private void assertEveryItemNotifiedOnceEverywhere(List<String> items) {
    assertThat(items).as("honest items announced").isNotEmpty();
    try {
      await().atMost(DELIVERY).until(() -> modules.stream().allMatch(m -> items.stream().allMatch(t -> m.timesNotified(t) > 0)));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // fall through: the assertions below say which item is missing where
    }
    SoftAssertions soft = new SoftAssertions();
    for (HonestModule m : modules) {
      soft.assertThat(m.failure()).as(m.name() + "'s API connection").isNull();
      List<String> wrong = items.stream().filter(t -> m.timesNotified(t) != 1)
          .map(t -> t + " x" + m.timesNotified(t)).toList();
      soft.assertThat(wrong).as("honest items %s was not notified of exactly once (of %d)", m.name(), items.size()).isEmpty();
    }
    soft.assertAll();
  }

  /** One measured figure, to stdout: the report of a run (the assertions say what must hold). */
  private void note(String format, Object... args) {
    System.out.println("HostilePeerProcessTest." + testName + ": " + String.format(format, args));
  }

  private List<HostileIdentity> take(int n) {
    if (unused.size() < n) unused.addAll(HostileIdentity.make(n - unused.size(), POW_BITS)); // a test run alone, or a disabled one run
    List<HostileIdentity> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) taken.add(unused.removeFirst());
    return taken;
  }

  private StatusView status(int node) throws Exception {
    return overlay.snapshot().views().get(node);
  }

  private static String field(String json, String key) {
    Matcher m = Pattern.compile("\"" + key + "\":\"([^\"]+)\"").matcher(json);
    if (!m.find()) throw new IllegalArgumentException("no " + key + " in " + json);
    return m.group(1);
  }

  private static InetSocketAddress socketAddress(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** {@code runDir/node-i/} with a fresh hostkey and a config; node 0 is everyone's bootstrapper. */
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
          ; honest node %d of HostilePeerProcessTest
          hostkey = hostkey.pem
          [gossip]
          p2p_address = 127.0.0.1:%d
          api_address = 127.0.0.1:0
          admin_address = 127.0.0.1:0
          %s
          degree = %d
          pow_difficulty = %d
          """.formatted(i, i == 0 ? bootstrapPort : 0,
          i == 0 ? "; no bootstrapper: node 0 starts the network" : "bootstrapper = 127.0.0.1:" + bootstrapPort,
          DEGREE, POW_BITS));
    }
    return configs;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }
}
