package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import voidphone.gossip.link.Transport;

/** The live view's routes on a real admin server: the page, the JSON of /view and /graph, the SSE stream and its bounds. */
class LiveViewTest {
  private final Transport transport = Transport.best();
  private final EventLoopGroup group = transport.newGroup(1);
  private final EventLoop loop = group.next();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<AdminServer> servers = new ArrayList<>();
  private final AtomicLong wallClock = new AtomicLong(1_000_000);

  @AfterEach
  void stop() {
    for (AdminServer s : servers) s.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** One admin server with a live view of a node {@code identity} with {@code activePeers} neighbours. */
  private final class Node {
    final RecentItems items = new RecentItems(8, wallClock::get);
    final LiveView live;
    final URI base;
    final InetSocketAddress address;

    Node(String identity, int activePeers, List<InetSocketAddress> peers, LiveView.Limits limits) throws Exception {
      List<NodeStatus.PeerEntry> active = new ArrayList<>();
      for (int i = 0; i < activePeers; i++) active.add(new NodeStatus.PeerEntry("peer" + i, "127.0.0.1:" + (20000 + i)));
      Map<String, Number> counters = new LinkedHashMap<>();
      counters.put("items_delivered", 3);
      Supplier<NodeStatus> status = () -> new NodeStatus(identity, "127.0.0.1:6001", "127.0.0.1:7001", active, List.of(), counters);
      live = new LiveView(status, items, peers, limits);
      AdminServer admin = new AdminServer(status, () -> "", live);
      servers.add(admin);
      address = admin.bind(loop, transport.serverChannel(), new InetSocketAddress("127.0.0.1", 0));
      base = URI.create("http://127.0.0.1:" + address.getPort());
    }

    void onLoop(Runnable r) {
      loop.submit(r).syncUninterruptibly();
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
  }

  private Node node(String identity) throws Exception {
    return new Node(identity, 1, List.of(), LiveView.Limits.defaults());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.parse(text.trim());
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    return (List<Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @Test
  void thePageItsScriptAndStyleAreServedFromTheJar() throws Exception {
    Node n = node("ab12");
    HttpResponse<String> page = n.get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).contains("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script src=\"live.js\">").contains("href=\"live.css\"").doesNotContain("http://", "https://");
    assertThat(n.get("/live.js").body()).contains("new EventSource('events')").doesNotContain("https://");
    assertThat(n.get("/live.js").headers().firstValue("content-type")).contains("text/javascript; charset=utf-8");
    assertThat(n.get("/live.css").statusCode()).isEqualTo(200);
    assertThat(n.get("/status").statusCode()).as("the existing routes still answer").isEqualTo(200);
    assertThat(n.get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void viewIsTheStatusTheRecentItemsAndTheLiveViewsCounters() throws Exception {
    Node n = node("ab12");
    n.onLoop(() -> {
      n.items.received("00ff", 7, null, 0);
      n.items.received("11ee", 7, "cd34", 2);
      n.items.verdict("11ee", "valid");
    });
    HttpResponse<String> r = n.get("/view");
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    Map<String, Object> view = json(r.body());
    assertThat(view).containsOnlyKeys("admin", "status", "items", "live");
    assertThat(view.get("admin")).isEqualTo("127.0.0.1:" + n.address.getPort());
    assertThat(map(view.get("status"))).containsEntry("identity", "ab12").containsKeys("active", "passive", "counters");
    assertThat(list(view.get("items"))).containsExactly(
        Map.of("id", "11ee", "type", 7L, "from", "cd34", "hops", 2L, "at_ms", 1_000_000L, "verdict", "valid"),
        json("{\"id\":\"00ff\",\"type\":7,\"from\":null,\"hops\":0,\"at_ms\":1000000,\"verdict\":\"local\"}"));
    assertThat(map(view.get("live"))).containsOnlyKeys(
        "clients", "max_clients", "clients_refused", "events_dropped_rate", "events_dropped_slow", "peers");
  }

  @Test
  void graphCombinesEveryNodesRecordOfAnItemIntoOneTree() throws Exception {
    Node far = node("far");
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    InetSocketAddress dead = new InetSocketAddress("127.0.0.1", deadPort);
    Node near = new Node("near", 1, List.of(far.address, dead), LiveView.Limits.defaults());
    near.onLoop(() -> near.items.received("aa", 7, null, 0));
    wallClock.addAndGet(12);
    far.onLoop(() -> far.items.received("aa", 7, "near", 1));

    Map<String, Object> graph = json(near.get("/graph").body());
    assertThat(graph).containsOnlyKeys("self", "nodes", "unreachable", "items");
    assertThat(graph.get("self")).isEqualTo("near");
    assertThat(list(graph.get("nodes"))).extracting(o -> map(map(o).get("status")).get("identity")).containsExactly("near", "far");
    assertThat(list(graph.get("nodes"))).extracting(o -> map(o).get("admin"))
        .containsExactly("127.0.0.1:" + near.address.getPort(), "127.0.0.1:" + far.address.getPort());
    assertThat(graph.get("unreachable")).isEqualTo(List.of("127.0.0.1:" + deadPort));
    assertThat(list(graph.get("items"))).hasSize(1);
    Map<String, Object> tree = map(list(graph.get("items")).get(0));
    assertThat(tree).containsEntry("id", "aa").containsEntry("type", 7L).containsEntry("origin", "near")
        .containsEntry("first_ms", 1_000_000L);
    assertThat(list(tree.get("receipts"))).containsExactly(
        json("{\"node\":\"near\",\"from\":null,\"hops\":0,\"at_ms\":1000000,\"verdict\":\"local\"}"),
        json("{\"node\":\"far\",\"from\":\"near\",\"hops\":1,\"at_ms\":1000012,\"verdict\":null}"));
  }

  /** A fake admin endpoint that answers every request with {@code head} and {@code bodyBytes} of body, then stalls. */
  private static ServerSocket fakePeer(String head, int bodyBytes, java.util.concurrent.CountDownLatch dropped) throws Exception {
    ServerSocket server = new ServerSocket(0);
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          s.getInputStream().read(new byte[4096]);
          s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
          try {
            s.getOutputStream().write(new byte[bodyBytes]);
            s.getOutputStream().flush(); // and never closed: the client must give up by itself
          } catch (java.io.IOException closedWhileWriting) {
            dropped.countDown();
            continue;
          }
          s.setSoTimeout(10_000);
          try {
            if (s.getInputStream().read() < 0) dropped.countDown();
          } catch (java.io.IOException reset) {
            dropped.countDown();
          }
        } catch (Exception closed) {
          return;
        }
      }
    }, "fake-admin-peer");
    t.setDaemon(true);
    t.start();
    return server;
  }

  @Test
  void aPeerThatStallsOrAnswersTooMuchIsUnreachableInBoundedTime() throws Exception {
    var stalledDropped = new java.util.concurrent.CountDownLatch(1);
    var floodDropped = new java.util.concurrent.CountDownLatch(1);
    try (ServerSocket stalls = fakePeer("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n", 10, stalledDropped);
        ServerSocket floods = fakePeer("HTTP/1.1 200 OK\r\nContent-Length: 3000000\r\n\r\n", 3_000_000, floodDropped)) {
      InetSocketAddress a = new InetSocketAddress("127.0.0.1", stalls.getLocalPort());
      InetSocketAddress b = new InetSocketAddress("127.0.0.1", floods.getLocalPort());
      Node n = new Node("ab12", 1, List.of(a, b), LiveView.Limits.defaults());
      long start = System.nanoTime();
      Map<String, Object> graph = json(n.get("/graph").body());
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
      assertThat(list(graph.get("nodes"))).hasSize(1);
      assertThat(list(graph.get("unreachable"))).containsExactlyInAnyOrder(LiveView.format(a), LiveView.format(b));
      assertThat(stalledDropped.await(5, TimeUnit.SECONDS)).as("the stalled answer's connection is closed").isTrue();
      assertThat(floodDropped.await(5, TimeUnit.SECONDS)).as("the flood's connection is closed").isTrue();
    }
  }

  @Test
  void graphKeepsOnlyTheMostRecentItems() {
    List<Object> items = new ArrayList<>();
    for (int i = 0; i < LiveView.GRAPH_ITEMS + 5; i++) {
      items.add(json("{\"id\":\"i" + i + "\",\"type\":1,\"from\":null,\"hops\":0,\"at_ms\":" + i + ",\"verdict\":\"local\"}"));
    }
    Map<String, Object> view = json("{\"admin\":\"a:1\",\"status\":{\"identity\":\"x\"}}");
    view.put("items", items);
    Map<String, Object> graph = json(LiveView.combine(List.of(view)));
    assertThat(list(graph.get("items"))).hasSize(LiveView.GRAPH_ITEMS)
        .first().extracting(o -> map(o).get("id")).isEqualTo("i" + (LiveView.GRAPH_ITEMS + 4));
  }

  @Test
  void aPeersAnswerOfAnotherShapeCostsOnlyItsOwnRecords() {
    Map<String, Object> good = json("{\"admin\":\"a:1\",\"status\":{\"identity\":\"x\"},"
        + "\"items\":[{\"id\":\"i\",\"type\":1,\"from\":null,\"hops\":0,\"at_ms\":5,\"verdict\":\"local\"}]}");
    Map<String, Object> odd = json("{\"admin\":\"b:2\",\"status\":{\"no\":\"identity\"},"
        + "\"items\":[7,{\"id\":3},{\"id\":\"i\",\"at_ms\":\"soon\"}]}");
    Map<String, Object> worse = json("{\"admin\":\"c:3\",\"status\":[],\"items\":\"none\"}");
    Map<String, Object> graph = json(LiveView.combine(List.of(good, odd, worse)));
    assertThat(list(graph.get("nodes"))).hasSize(2);
    assertThat(graph.get("unreachable")).isEqualTo(List.of("c:3"));
    assertThat(list(map(list(graph.get("items")).get(0)).get("receipts"))).hasSize(2);
  }

  /** A raw SSE client: reads the response head, then one event (its lines up to a blank one) at a time. */
  private static final class Stream implements AutoCloseable {
    final Socket socket;
    final BufferedReader in;
    final BlockingQueue<List<String>> events = new LinkedBlockingQueue<>();
    final String head;

    Stream(URI base) throws Exception {
      socket = new Socket(base.getHost(), base.getPort());
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n"
          .getBytes(StandardCharsets.US_ASCII));
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      StringBuilder h = new StringBuilder();
      for (String line; !(line = in.readLine()).isEmpty(); ) h.append(line).append('\n');
      head = h.toString();
      if (!head.startsWith("HTTP/1.1 200")) return;
      Thread reader = new Thread(this::read, "sse-test-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** Undoes the chunked transfer coding: a chunk-size line, the chunk, an empty line. */
    private void read() {
      try {
        List<String> event = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        while (true) {
          int size = Integer.parseInt(in.readLine().trim(), 16);
          if (size == 0) return;
          char[] chunk = new char[size];
          for (int got = 0; got < size; ) got += in.read(chunk, got, size - got); // ASCII-only test data
          in.readLine();
          pending.append(chunk);
          int nl;
          while ((nl = pending.indexOf("\n")) >= 0) {
            String line = pending.substring(0, nl);
            pending.delete(0, nl + 1);
            if (line.isEmpty()) {
              if (!event.isEmpty()) events.add(event);
              event = new ArrayList<>();
            } else {
              event.add(line);
            }
          }
        }
      } catch (Exception closed) {
        // the test is over, or the server closed the stream
      }
    }

    /** The next event of {@code type}: its data line's JSON. */
    Map<String, Object> next(String type) throws InterruptedException {
      while (true) {
        List<String> e = events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("an event within 10 s").isNotNull();
        if (e.get(0).equals("event: " + type)) {
          assertThat(e).hasSize(2);
          assertThat(e.get(1)).startsWith("data: ");
          return json(e.get(1).substring("data: ".length()));
        }
      }
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void eventsAreServerSentEventsOfTheViewTheGraphAndEachItem() throws Exception {
    Node n = node("ab12");
    try (Stream s = new Stream(n.base)) {
      assertThat(s.head).contains("content-type: text/event-stream; charset=utf-8").contains("transfer-encoding: chunked")
          .contains("cache-control: no-cache");
      assertThat(s.events.poll(10, TimeUnit.SECONDS)).as("a reconnection delay first").containsExactly("retry: 2000");
      assertThat(map(s.next("view").get("status")).get("identity")).isEqualTo("ab12");
      assertThat(s.next("graph").get("self")).isEqualTo("ab12");
      n.onLoop(() -> n.items.received("77", 9, "cd34", 3));
      assertThat(s.next("item")).isEqualTo(
          json("{\"id\":\"77\",\"type\":9,\"from\":\"cd34\",\"hops\":3,\"at_ms\":1000000,\"verdict\":null}"));
      assertThat(map(s.next("view").get("live")).get("clients")).as("the view event comes every second").isEqualTo(1L);
    }
  }

  @Test
  void onlySoManyClientsMayListenAtOnce() throws Exception {
    Node n = new Node("ab12", 1, List.of(), new LiveView.Limits(2, 20, 40, 64 * 1024, 1000, 2000, 30_000));
    try (Stream a = new Stream(n.base); Stream b = new Stream(n.base); Stream c = new Stream(n.base)) {
      assertThat(a.head).startsWith("HTTP/1.1 200");
      assertThat(b.head).startsWith("HTTP/1.1 200");
      assertThat(c.head).startsWith("HTTP/1.1 503");
      a.close();
      await().atMost(Duration.ofSeconds(5)).until(() -> loop.submit(n.live::clients).get() == 1);
      try (Stream d = new Stream(n.base)) {
        assertThat(d.head).as("a place freed is taken again").startsWith("HTTP/1.1 200");
      }
    }
    assertThat(map(json(n.get("/view").body()).get("live")).get("clients_refused")).isEqualTo(1L);
  }

  @Test
  void itemEventsBeyondTheRateAreDroppedAndCounted() throws Exception {
    Node n = new Node("ab12", 1, List.of(), new LiveView.Limits(8, 1, 3, 64 * 1024, 1000, 2000, 30_000));
    try (Stream s = new Stream(n.base)) {
      s.next("view");
      n.onLoop(() -> {
        for (int i = 0; i < 20; i++) n.items.received("id" + i, 1, "p", 1);
      });
      for (int i = 0; i < 3; i++) assertThat(s.next("item").get("id")).isEqualTo("id" + i);
      assertThat(loop.submit(n.live::droppedByRate).get()).isEqualTo(17);
      assertThat(map(s.next("view").get("live")).get("events_dropped_rate")).isEqualTo(17L);
      // the 18 s a token takes to come back at one a second are not waited for here: the counts say it
    }
  }

  @Test
  void aClientThatDoesNotReadMissesEventsAndIsClosedInTheEnd() throws Exception {
    // views of 2000 neighbours (about 130 KB each) ten times a second into a client that never reads
    Node n = new Node("ab12", 2000, List.of(), new LiveView.Limits(8, 20, 40, 16 * 1024, 100, 100_000, 1500));
    try (Socket silent = new Socket()) {
      silent.setReceiveBufferSize(4096);
      silent.connect(new InetSocketAddress("127.0.0.1", n.address.getPort()));
      silent.getOutputStream().write("GET /events HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      await().atMost(Duration.ofSeconds(10)).until(() -> loop.submit(n.live::droppedForSlowClients).get() > 0);
      long queued = loop.submit(() -> pendingBytes(n)).get();
      assertThat(queued).as("bytes queued for the client: its buffer and one event at most").isLessThan(16 * 1024 + 200_000);
      await().atMost(Duration.ofSeconds(10)).until(() -> loop.submit(n.live::clients).get() == 0);
    }
  }

  private static long pendingBytes(Node n) {
    long total = 0;
    for (Channel ch : n.live.clientChannels()) {
      var buffer = ch.unsafe().outboundBuffer();
      if (buffer != null) total += buffer.totalPendingWriteBytes();
    }
    return total;
  }
}
