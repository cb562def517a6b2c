package voidphone.gossip.node;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;

/**
 * One node's peer cache ({@code <hostkey>.peers}, format in {@link PeerCacheFile}): read once when
 * the node starts, so that a restart while the bootstrappers are down can rejoin through the peers
 * it knew, and rewritten whenever the node hands it a snapshot of its views that differs from what
 * the file holds.
 *
 * <p>Files are touched only on the starting thread and on a writer thread of this cache's own, never
 * on the node's event loop: a slow disk must not hold up links and timers. The writer exists only
 * while there is something to write, and is stopped by {@link #close()}.
 */
final class PeerCache {
  private static final Logger log = LoggerFactory.getLogger("peers");
  /** How long {@link #close()} waits for the last write. */
  private static final long CLOSE_WAIT_SECONDS = 5;

  private final Path file;
  private final NodeId self;
  private final List<Peer> loaded;
  /**
   * One thread at most, none while idle; at most two snapshots queued, the oldest dropped for a
   * newer one (only the newest matters, and the queue must not grow if the disk hangs).
   */
  private final ThreadPoolExecutor writer;
  /**
   * What the file holds, as far as this node knows: used by the writer thread only (volatile since
   * the pool's one thread may be a new one after an idle spell).
   */
  private volatile List<Peer> onDisk;
  private volatile boolean warnedOfWriteFailure;

  private PeerCache(Path file, NodeId self, List<Peer> loaded) {
    this.file = file;
    this.self = self;
    this.loaded = loaded;
    this.onDisk = loaded;
    this.writer = new ThreadPoolExecutor(0, 1, 10, TimeUnit.SECONDS, new ArrayBlockingQueue<>(2), runnable -> {
      Thread t = new Thread(runnable, "gossip-peers-" + self.shortHex());
      t.setDaemon(true); // a write cut short by the JVM's exit leaves the old file: the rename did not happen
      return t;
    }, new ThreadPoolExecutor.DiscardOldestPolicy());
  }

  /**
   * The cache of the node {@code self} in {@code file}, read now: a missing file is a first start;
   * a corrupt or foreign one is ignored with one warning line and then overwritten by the next write.
   */
  static PeerCache open(Path file, NodeId self) {
    PeerCacheFile.Contents contents = PeerCacheFile.read(file, self);
    contents.problem().ifPresent(problem -> log.warn("{}: {}; ignoring the peer cache", file, problem));
    return new PeerCache(file, self, contents.peers());
  }

  /** A cache that holds nothing and writes nothing, for nodes that must leave no files behind. */
  static PeerCache none() {
    return new PeerCache(null, null, List.of());
  }

  /** The peers the file held when the node started (never this node, no duplicates). */
  List<Peer> loaded() {
    return loaded;
  }

  /**
   * Writes {@code peers} (active view first, then passive) on the writer thread if they differ from
   * the file; returns at once, on any thread. An empty list is not written: a node that lost every
   * peer keeps the ones it knew last, which a restart can still try.
   */
  void save(List<Peer> peers) {
    if (file == null || peers.isEmpty()) return;
    List<Peer> snapshot = List.copyOf(peers);
    try {
      writer.execute(() -> write(snapshot));
    } catch (RejectedExecutionException closed) {
      // the node is closing and its last snapshot is queued already
    }
  }

  private void write(List<Peer> snapshot) {
    List<Peer> usable = PeerCacheFile.usable(self, snapshot);
    if (usable.isEmpty() || usable.equals(onDisk)) return;
    try {
      PeerCacheFile.write(file, self, usable);
      onDisk = usable;
      if (warnedOfWriteFailure) log.info("{}: peer cache written again ({} peers)", file, usable.size());
      warnedOfWriteFailure = false;
      log.debug("{}: {} peers written", file, usable.size());
    } catch (IOException e) {
      if (!warnedOfWriteFailure) { // a full or read-only disk stays so: say it once, not every 30 s
        log.warn("{}: cannot write the peer cache ({}); the node runs on without it", file, IoErrors.describe(e));
        warnedOfWriteFailure = true;
      }
    }
  }

  /**
   * Finishes the writes already handed over (the last snapshot of a graceful close among them),
   * waiting a few seconds at most, and stops the writer; later snapshots are not written.
   */
  void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        log.warn("{}: peer cache not written within {} s of closing", file, CLOSE_WAIT_SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
