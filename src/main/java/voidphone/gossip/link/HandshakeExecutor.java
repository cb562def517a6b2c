package voidphone.gossip.link;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the CPU-heavy steps of TLS handshakes (the RSA signatures and certificate checks the JDK's
 * SSLEngine hands out as delegated tasks) off the node's event loop.
 *
 * <p>Why: a node's one loop also forwards items. A handshake costs several milliseconds of CPU with
 * 2048-bit keys (about eight times more with 4096-bit ones), and HyParView's shuffles and joins open
 * links all the time; run on the loop, each one holds up every item passing through that node.
 * One pool per process, shared by its nodes (a test network runs many in one JVM), as many threads
 * as cores; idle threads end after a minute. The queue is unbounded, but each entry belongs to a
 * handshake in progress, and those are bounded per address and by the handshake timeout.
 */
final class HandshakeExecutor {
  private static final Executor SHARED = create();

  private HandshakeExecutor() {}

  static Executor shared() {
    return SHARED;
  }

  private static Executor create() {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    AtomicInteger count = new AtomicInteger();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(
        threads, threads, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        task -> {
          Thread t = new Thread(task, "gossip-tls-handshake-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }
}
