package voidphone.gossip.admin;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.ReadTimeoutHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The admin endpoint's live view (docs/LIVE-VIEW.md): the page at {@code /} with its script and
 * style, this node's view and recent items at {@code /view}, the whole testnet's at {@code /graph}
 * (this node's view and those of the other nodes' admin endpoints it was told of, fetched
 * server-side so that the page has one origin), and all of it as server-sent events at
 * {@code /events}.
 *
 * <p>Bounded everywhere: at most {@link Limits#maxClients} event streams (more are refused with
 * 503); item events at most {@link Limits#eventsPerSecond} a second (a token bucket; the rest are
 * dropped and counted, the next view event carries the count); a client whose socket buffer is
 * full ({@link Limits#clientBufferBytes}) misses events rather than having them queued, and is
 * closed when it stays full for {@link Limits#slowClientCloseMillis}; peers' answers are read up to
 * 1 MiB each within 2 s, and the aggregation runs at most once a second however many ask.
 *
 * <p>Everything but reading the peers' answers and combining them runs on the admin endpoint's
 * loop, the node's.
 */
public final class LiveView {
  /** How many of the most recent items {@code /graph} combines into trees. */
  static final int GRAPH_ITEMS = 16;
  private static final int MAX_PEER_ANSWER_BYTES = 1 << 20;
  private static final Duration PEER_TIMEOUT = Duration.ofSeconds(2);
  private static final long GRAPH_CACHE_MILLIS = 1000;
  private static final Map<String, String> TYPES = Map.of(
      "index.html", "text/html; charset=utf-8",
      "live.js", "text/javascript; charset=utf-8",
      "live.css", "text/css; charset=utf-8");

  /**
   * The live view's bounds.
   *
   * @param maxClients event streams open at once
   * @param eventsPerSecond item events a second, over all clients (each client gets every one sent)
   * @param burst item events sent at once after a quiet spell
   * @param clientBufferBytes bytes queued for one client before its events are dropped
   * @param viewMillis how often the view event is sent
   * @param graphMillis how often the graph event is sent
   * @param slowClientCloseMillis how long a client's buffer may stay full before it is closed
   */
  public record Limits(int maxClients, int eventsPerSecond, int burst, int clientBufferBytes, long viewMillis,
      long graphMillis, long slowClientCloseMillis) {
    public static Limits defaults() {
      return new Limits(8, 20, 40, 64 * 1024, 1000, 2000, 30_000);
    }
  }

  private final Supplier<NodeStatus> status;
  private final RecentItems items;
  private final List<InetSocketAddress> peers;
  private final Limits limits;
  private final Map<String, byte[]> resources = new LinkedHashMap<>();
  private EventLoop loop;
  private String selfAdmin = "";

  private final Map<Channel, Client> clients = new LinkedHashMap<>();
  private ScheduledFuture<?> ticker;
  private long ticks;
  private double tokens;
  private long refilledNanos = System.nanoTime();
  private long droppedByRate;
  private long droppedForSlowClients;
  private long refusedClients;

  private final List<Consumer<String>> waitingForGraph = new ArrayList<>();
  private boolean fetchingGraph;
  private String cachedGraph;
  private long cachedGraphAt;

  private static final class Client {
    long unwritableSinceNanos = -1;
  }

  /**
   * @param peers the admin addresses of other nodes whose views {@code /graph} adds (this node's
   *     own address may be among them; it is skipped)
   */
  public LiveView(Supplier<NodeStatus> status, RecentItems items, List<InetSocketAddress> peers, Limits limits) {
    this.status = status;
    this.items = items;
    this.peers = new ArrayList<>(peers);
    this.limits = limits;
    this.tokens = limits.burst();
    for (String name : TYPES.keySet()) resources.put(name, resource(name));
    items.onChange(this::itemChanged);
  }

  private static byte[] resource(String name) {
    try (InputStream in = LiveView.class.getResourceAsStream("live/" + name)) {
      if (in == null) throw new IllegalStateException("missing resource voidphone/gossip/admin/live/" + name);
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Called by the admin server once bound: the loop it runs on and its address. */
  void bound(EventLoop value, InetSocketAddress address) {
    this.loop = value;
    this.selfAdmin = format(address);
    peers.removeIf(p -> p.getPort() == address.getPort() && format(p).equals(selfAdmin));
  }

  boolean serves(String path) {
    return switch (path) {
      case "/", "/index.html", "/live.js", "/live.css", "/view", "/graph", "/events" -> true;
      default -> false;
    };
  }

  /** Answers {@code path} (one that {@link #serves}), on the loop. */
  void handle(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    if (clients.containsKey(ctx.channel())) { // a request on an event stream would be answered inside it
      ctx.close();
      return;
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    switch (path) {
      case "/", "/index.html" -> respond(ctx, keepAlive, HttpResponseStatus.OK, resources.get("index.html"), TYPES.get("index.html"));
      case "/live.js", "/live.css" -> {
        String name = path.substring(1);
        respond(ctx, keepAlive, HttpResponseStatus.OK, resources.get(name), TYPES.get(name));
      }
      case "/view" -> respond(ctx, keepAlive, HttpResponseStatus.OK, bytes(viewJson() + "\n"), "application/json");
      case "/graph" -> graph(json -> {
        if (ctx.channel().isActive()) respond(ctx, keepAlive, HttpResponseStatus.OK, bytes(json + "\n"), "application/json");
      });
      case "/events" -> openStream(ctx);
      default -> throw new IllegalArgumentException(path);
    }
  }

  // ------------------------------------------------------------------ JSON

  /** This node's status, its recent items (newest first) and the live view's own counters. */
  String viewJson() {
    StringBuilder b = new StringBuilder(1024);
    b.append("{\"admin\":").append(NodeStatus.quote(selfAdmin)).append(",\"status\":").append(status.get().toJson())
        .append(",\"items\":[");
    List<RecentItems.Item> recent = items.snapshot();
    for (int k = 0; k < recent.size(); k++) {
      if (k > 0) b.append(',');
      b.append(recent.get(k).toJson());
    }
    b.append("],\"live\":{\"clients\":").append(clients.size())
        .append(",\"max_clients\":").append(limits.maxClients())
        .append(",\"clients_refused\":").append(refusedClients)
        .append(",\"events_dropped_rate\":").append(droppedByRate)
        .append(",\"events_dropped_slow\":").append(droppedForSlowClients)
        .append(",\"peers\":").append(peers.size())
        .append("}}");
    return b.toString();
  }

  /** The whole testnet as this node can see it; {@code done} is called on the loop. */
  void graph(Consumer<String> done) {
    waitingForGraph.add(done);
    if (fetchingGraph) return;
    if (cachedGraph != null && System.nanoTime() - cachedGraphAt < TimeUnit.MILLISECONDS.toNanos(GRAPH_CACHE_MILLIS)) {
      answerGraph(cachedGraph);
      return;
    }
    fetchingGraph = true;
    Object self = Json.parse(viewJson());
    List<CompletableFuture<Object>> answers = new ArrayList<>();
    for (InetSocketAddress peer : peers) answers.add(fetchView(peer));
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
      List<Object> views = new ArrayList<>();
      views.add(self);
      for (int k = 0; k < answers.size(); k++) {
        Object answer = answers.get(k).getNow(null);
        views.add(answer != null ? answer : Map.of("admin", format(peers.get(k)))); // no status: unreachable
      }
      String combined = combineOrSelf(views, self); // here, off the loop: a testnet's views are some 100 KB
      try {
        loop.execute(() -> {
          fetchingGraph = false;
          cachedGraph = combined;
          cachedGraphAt = System.nanoTime();
          answerGraph(cachedGraph);
        });
      } catch (java.util.concurrent.RejectedExecutionException stopped) {
        // the node is gone: nobody waits any more
      }
    });
  }

  private static String combineOrSelf(List<Object> views, Object self) {
    try {
      return combine(views);
    } catch (RuntimeException e) { // a peer's answer of an unexpected shape: show this node alone
      return combine(List.of(self));
    }
  }

  private void answerGraph(String json) {
    List<Consumer<String>> waiting = new ArrayList<>(waitingForGraph);
    waitingForGraph.clear();
    for (Consumer<String> w : waiting) w.accept(json);
  }

  /**
   * One peer's {@code /view}, parsed off the loop; null when it cannot be had within {@link
   * #PEER_TIMEOUT} (headers and body: a peer that stalls mid-answer holds no thread) or is longer
   * than {@link #MAX_PEER_ANSWER_BYTES}.
   */
  private static CompletableFuture<Object> fetchView(InetSocketAddress peer) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + format(peer) + "/view"))
        .timeout(PEER_TIMEOUT).build();
    LimitedBody body = new LimitedBody(MAX_PEER_ANSWER_BYTES); // one response: redirects are not followed
    return Peers.HTTP.sendAsync(request, info -> body)
        .orTimeout(PEER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((response, failure) -> {
          if (failure != null) body.cancel(); // closes the connection of a peer that stalled
        })
        .<Object>thenApplyAsync(response -> {
          if (response.statusCode() != 200) return null;
          Object view = Json.parse(new String(response.body(), StandardCharsets.UTF_8));
          if (view instanceof Map<?, ?> m && m.get("status") instanceof Map<?, ?>) {
            @SuppressWarnings("unchecked")
            Map<String, Object> v = (Map<String, Object>) m;
            v.put("admin", format(peer)); // as this node reaches it
            return v;
          }
          return null;
        }, Peers.POOL)
        .exceptionally(e -> null);
  }

  /** Collects a body of at most {@code limit} bytes; a longer one is cancelled and fails. */
  static final class LimitedBody implements java.net.http.HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    LimitedBody(int limit) {
      this.limit = limit;
    }

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (result.isDone()) {
        s.cancel();
      } else {
        s.request(Long.MAX_VALUE);
      }
    }

    /** Gives up: the connection is closed (now, or as soon as the body starts). */
    synchronized void cancel() {
      result.completeExceptionally(new IOException("cancelled"));
      if (subscription != null) subscription.cancel();
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) return;
      for (ByteBuffer b : buffers) {
        if (out.size() + b.remaining() > limit) {
          subscription.cancel();
          result.completeExceptionally(new IOException("answer longer than " + limit + " bytes"));
          return;
        }
        byte[] chunk = new byte[b.remaining()];
        b.get(chunk);
        out.writeBytes(chunk);
      }
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(out.toByteArray());
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }
  }

  /**
   * {@code {"self":..,"nodes":[{"admin":..,"status":{..}}..],"unreachable":[..],"items":[..]}}: every
   * view's status, and the {@link #GRAPH_ITEMS} most recent items, each with every node's record of
   * it, earliest first.
   */
  static String combine(List<Object> views) {
    List<Object> nodes = new ArrayList<>();
    List<Object> unreachable = new ArrayList<>();
    Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
    String self = null;
    for (Object o : views) {
      if (!(o instanceof Map<?, ?> view)) continue;
      Object admin = view.get("admin");
      if (!(view.get("status") instanceof Map<?, ?> st)) {
        unreachable.add(admin);
        continue;
      }
      String identity = String.valueOf(st.get("identity"));
      if (self == null) self = identity;
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("admin", admin);
      node.put("status", st);
      nodes.add(node);
      if (!(view.get("items") instanceof List<?> list)) continue;
      for (Object i : list) {
        if (!(i instanceof Map<?, ?> item) || !(item.get("id") instanceof String id)) continue;
        Map<String, Object> tree = byId.computeIfAbsent(id, k -> {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("id", k);
          t.put("type", item.get("type"));
          t.put("origin", null);
          t.put("first_ms", Long.MAX_VALUE);
          t.put("receipts", new ArrayList<Map<String, Object>>());
          return t;
        });
        long at = item.get("at_ms") instanceof Number n ? n.longValue() : 0;
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("node", identity);
        receipt.put("from", item.get("from"));
        receipt.put("hops", item.get("hops"));
        receipt.put("at_ms", at);
        receipt.put("verdict", item.get("verdict"));
        receipts(tree).add(receipt);
        if (item.get("from") == null) tree.put("origin", identity);
        tree.put("first_ms", Math.min((Long) tree.get("first_ms"), at));
      }
    }
    List<Map<String, Object>> trees = new ArrayList<>(byId.values());
    trees.sort(Comparator.comparingLong((Map<String, Object> t) -> (Long) t.get("first_ms")).reversed());
    if (trees.size() > GRAPH_ITEMS) trees = new ArrayList<>(trees.subList(0, GRAPH_ITEMS));
    // by time, and within one millisecond (on loopback an item crosses several hops in one) by hops,
    // so that the origin comes first and a receipt never precedes the one it came from
    Comparator<Map<String, Object>> byTime = Comparator.comparingLong(r -> (Long) r.get("at_ms"));
    for (Map<String, Object> t : trees) {
      receipts(t).sort(byTime.thenComparingLong(r -> r.get("hops") instanceof Number n ? n.longValue() : 0));
    }
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("self", self);
    graph.put("nodes", nodes);
    graph.put("unreachable", unreachable);
    graph.put("items", trees);
    return Json.write(graph);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> receipts(Map<String, Object> tree) {
    return (List<Map<String, Object>>) tree.get("receipts");
  }

  // ------------------------------------------------------------------ server-sent events

  private void openStream(ChannelHandlerContext ctx) {
    Channel ch = ctx.channel();
    if (clients.size() >= limits.maxClients()) {
      refusedClients++;
      respond(ctx, false, HttpResponseStatus.SERVICE_UNAVAILABLE,
          bytes("at most " + limits.maxClients() + " live-view clients at once\n"), "text/plain");
      return;
    }
    if (ch.pipeline().get(ReadTimeoutHandler.class) != null) ch.pipeline().remove(ReadTimeoutHandler.class);
    ch.config().setWriteBufferWaterMark(
        new WriteBufferWaterMark(limits.clientBufferBytes() / 2, limits.clientBufferBytes()));
    HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    HttpUtil.setTransferEncodingChunked(response, true);
    ch.write(response);
    clients.put(ch, new Client());
    ch.closeFuture().addListener(f -> clients.remove(ch));
    send(ch, clients.get(ch), "retry: 2000\n\n" + event("view", viewJson()));
    graph(json -> {
      Client c = clients.get(ch);
      if (c != null) send(ch, c, event("graph", json));
    });
    if (ticker == null) {
      ticker = ch.eventLoop().scheduleAtFixedRate(this::tick, limits.viewMillis(), limits.viewMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void tick() {
    if (clients.isEmpty()) {
      ticker.cancel(false);
      ticker = null;
      return;
    }
    ticks++;
    closeStuckClients();
    broadcast(event("view", viewJson()));
    long every = Math.max(1, limits.graphMillis() / limits.viewMillis());
    if (ticks % every == 0) graph(json -> broadcast(event("graph", json)));
  }

  private void closeStuckClients() {
    long now = System.nanoTime();
    for (Map.Entry<Channel, Client> e : new ArrayList<>(clients.entrySet())) {
      long since = e.getValue().unwritableSinceNanos;
      if (since >= 0 && now - since > TimeUnit.MILLISECONDS.toNanos(limits.slowClientCloseMillis())) {
        e.getKey().close();
      }
    }
  }

  private void itemChanged(RecentItems.Item item) {
    if (clients.isEmpty()) return;
    long now = System.nanoTime();
    tokens = Math.min(limits.burst(), tokens + (now - refilledNanos) / 1e9 * limits.eventsPerSecond());
    refilledNanos = now;
    if (tokens < 1) {
      droppedByRate++;
      return;
    }
    tokens -= 1;
    broadcast(event("item", item.toJson()));
  }

  private void broadcast(String frame) {
    for (Map.Entry<Channel, Client> e : new ArrayList<>(clients.entrySet())) send(e.getKey(), e.getValue(), frame);
  }

  /** Writes {@code frame} unless the client's buffer is full: then it misses it. */
  private void send(Channel ch, Client client, String frame) {
    if (!ch.isWritable()) {
      droppedForSlowClients++;
      if (client.unwritableSinceNanos < 0) client.unwritableSinceNanos = System.nanoTime();
      return;
    }
    client.unwritableSinceNanos = -1;
    ch.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(frame, StandardCharsets.UTF_8)));
  }

  static String event(String type, String json) {
    return "event: " + type + "\ndata: " + json + "\n\n";
  }

  /** Item events dropped by the rate limit. */
  long droppedByRate() {
    return droppedByRate;
  }

  /** Events a full client buffer made one client miss. */
  long droppedForSlowClients() {
    return droppedForSlowClients;
  }

  int clients() {
    return clients.size();
  }

  List<Channel> clientChannels() {
    return new ArrayList<>(clients.keySet());
  }

  // ------------------------------------------------------------------ plumbing

  private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status, byte[] body, String type) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) written.addListener(ChannelFutureListener.CLOSE);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String format(InetSocketAddress a) {
    String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** One HTTP client for every node in the process that aggregates: its threads are daemons. */
  private static final class Peers {
    static final ExecutorService POOL = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "gossip-live-view");
      t.setDaemon(true);
      return t;
    });
    /** Its own threads: the pool's block reading answers, which the client's threads must feed. */
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(PEER_TIMEOUT).executor(
        Executors.newCachedThreadPool(r -> {
          Thread t = new Thread(r, "gossip-live-view-http");
          t.setDaemon(true);
          return t;
        })).build();
  }
}
