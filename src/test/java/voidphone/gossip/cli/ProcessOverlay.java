package voidphone.gossip.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;
import voidphone.gossip.identity.HostkeyFile;

/**
 * The overlay of real {@code gossip run} processes, read from their admin endpoints: snapshots of
 * every node's {@code /status} and waits, polled against a deadline, for a property of the graph.
 */
public final class ProcessOverlay implements AutoCloseable {
  /** Between two snapshots: often enough to time a merge to a fifth of a second. */
  private static final long POLL_MILLIS = 200;

  private final List<GossipRunProcess> nodes;
  private final List<String> adminAddresses;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
  private volatile OverlayGraph last;
  private volatile String lastError;

  /**
   * @param nodes the processes, by node number: a wait fails at once, with the node's log, when one
   *     of them has exited
   * @param adminAddresses {@code host:port} of each node's admin endpoint, by node number
   */
  public ProcessOverlay(List<GossipRunProcess> nodes, List<String> adminAddresses) {
    if (nodes.size() != adminAddresses.size()) throw new IllegalArgumentException("one admin address per node");
    this.nodes = List.copyOf(nodes);
    this.adminAddresses = List.copyOf(adminAddresses);
  }

  /**
   * Every node's {@code /status}, asked of all at once (so the snapshot spans one round trip, not
   * twelve); fails if any node does not answer.
   */
  public OverlayGraph snapshot() throws IOException, InterruptedException {
    List<CompletableFuture<StatusView>> pending = new ArrayList<>();
    for (String admin : adminAddresses) {
      pending.add(CompletableFuture.supplyAsync(() -> {
        try {
          return StatusView.fetch(http, admin);
        } catch (IOException e) {
          throw new UncheckedIOException(admin + ": " + e, e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }, runnable -> Thread.ofVirtual().start(runnable)));
    }
    List<StatusView> views = new ArrayList<>();
    for (CompletableFuture<StatusView> p : pending) {
      try {
        views.add(p.get());
      } catch (ExecutionException e) {
        throw new IOException(e.getCause().getMessage(), e.getCause());
      }
    }
    OverlayGraph graph = new OverlayGraph(views);
    last = graph;
    return graph;
  }

  /**
   * Polls until a snapshot satisfies {@code property} or {@code bound} has passed since {@code
   * sinceNanos} ({@link System#nanoTime()}); returns the time from {@code sinceNanos} to that
   * snapshot, or null at the deadline. A node that does not answer counts as "not yet"; a node
   * whose process has exited fails the wait (an AssertionError with its log).
   */
  public Duration await(Predicate<OverlayGraph> property, long sinceNanos, Duration bound) throws InterruptedException {
    long deadline = sinceNanos + bound.toNanos();
    while (true) {
      long before = System.nanoTime();
      for (GossipRunProcess node : nodes) {
        if (!node.isAlive()) throw new AssertionError(node.name() + " has exited; its log:\n" + node.log());
      }
      try {
        if (property.test(snapshot())) return Duration.ofNanos(System.nanoTime() - sinceNanos);
        lastError = null;
      } catch (IOException e) {
        lastError = e.getMessage();
      }
      if (System.nanoTime() - deadline > 0) return null;
      long spent = (System.nanoTime() - before) / 1_000_000;
      Thread.sleep(Math.max(0, POLL_MILLIS - spent)); // the poll period: there is no event to wait on
    }
  }

  /** The last snapshot taken, or null; and why the last attempt failed, if it did. */
  public String describeLast() {
    OverlayGraph graph = last;
    String error = lastError;
    return (graph == null ? "(no snapshot)\n" : graph.describe()) + (error == null ? "" : "last poll failed: " + error + "\n");
  }

  public OverlayGraph last() {
    return last;
  }

  /**
   * Writes a fresh RSA-2048 hostkey (PKCS#8 PEM, mode 600) to {@code file}: the smallest a node
   * loads, a tenth of a second each where {@code gossip keygen}'s RSA-4096 takes seconds; nothing
   * in the overlay depends on the size.
   */
  public static void writeHostkey(Path file) throws IOException {
    HostkeyFile.write(file, HostkeyFile.generate(2048, new SecureRandom()));
  }

  /** {@code 1.23 s}, or {@code never (bound reached)} for a wait that returned null. */
  public static String seconds(Duration d) {
    return d == null ? "never (bound reached)" : String.format("%.2f s", d.toNanos() / 1e9);
  }

  @Override
  public void close() {
    http.close();
  }
}
