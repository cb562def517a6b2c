package voidphone.gossip.client;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A module's connection to its peer's gossip API ({@code api_address}): subscribe to data types and
 * judge each item, announce items. Needs nothing but the JDK; see {@code docs/CLIENT.md}.
 *
 * <p>Threads: one connection thread reads notifications and calls the handlers, one at a time in
 * arrival order, and reconnects after a loss; one writer thread writes every message, each with a
 * single write. Both are daemon threads. Every public method is thread-safe.
 *
 * <p>After a lost connection the client connects again with exponential backoff ({@link Options})
 * and sends NOTIFY for every subscribed type before anything else. Announces wait in a bounded
 * queue while it is disconnected; verdicts for the lost connection are dropped, since their message
 * ids meant nothing to the new one.
 */
public final class GossipClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(GossipClient.class.getName());

  private final InetSocketAddress api;
  private final String apiText;
  private final Options options;
  /** Read by the connection thread without the lock; changed only under it. */
  private final Map<Integer, AsyncHandler> handlers = new ConcurrentHashMap<>();
  private final AtomicBoolean closeCalled = new AtomicBoolean();

  private final ReentrantLock lock = new ReentrantLock();
  /** Signalled on every change to the state below, which the lock guards. */
  private final Condition changed = lock.newCondition();
  /** Encoded ANNOUNCE frames, oldest first; their sizes sum to {@link #announceBytes}. */
  private final ArrayDeque<byte[]> announces = new ArrayDeque<>();
  private long announceBytes;
  /**
   * NOTIFY and VALIDATION frames for the current connection, written before any announce so that a
   * full announce queue never delays a verdict. Bounded by construction: one NOTIFY per subscribed
   * type and one VALIDATION per pending verdict ({@link Options#maxPendingVerdicts()}).
   */
  private final ArrayDeque<Control> control = new ArrayDeque<>();
  private Connection current;
  private boolean writing;
  private int pendingVerdicts;
  /** Why the client accepts no more work; null while it is open. */
  private String closedBecause;
  /** The writer's signal to end: set once nothing more will be written. */
  private boolean stopped;

  /** The socket of a connection attempt in progress, so that close() can abort it. */
  private volatile Socket connecting;
  private Thread io;
  private Thread writer;

  private GossipClient(InetSocketAddress api, Options options) {
    this.api = api;
    this.apiText = text(api);
    this.options = options;
  }

  /** {@link #connect(InetSocketAddress, Options)} with {@link Options#defaults()}. */
  public static GossipClient connect(InetSocketAddress api) throws IOException {
    return connect(api, Options.defaults());
  }

  /**
   * Connects to the node's API at {@code api}. The first attempt is made here and its failure is
   * thrown (a module usually cannot do anything useful without its node, and should say so at
   * once); only a connection that was once up is reopened in the background.
   *
   * @throws IOException the node cannot be reached: {@link ConnectException}, {@link
   *     UnknownHostException} or {@link SocketTimeoutException}, with a message naming the address
   * @throws IllegalArgumentException the port is 0
   */
  public static GossipClient connect(InetSocketAddress api, Options options) throws IOException {
    Objects.requireNonNull(api, "api");
    Objects.requireNonNull(options, "options");
    if (api.getPort() == 0) {
      throw new IllegalArgumentException("cannot connect to gossip API at " + text(api) + ": port 0 is not a real port");
    }
    GossipClient client = new GossipClient(api, options);
    Connection first = client.open();
    // attached before connect() returns: a subscribe() right after it goes out on this connection, in call order
    client.attach(first);
    client.io = new Thread(() -> client.run(first), "gossip-client-io-" + api.getPort());
    client.writer = new Thread(client::writeLoop, "gossip-client-writer-" + api.getPort());
    client.io.setDaemon(true);
    client.writer.setDaemon(true);
    client.writer.start();
    client.io.start();
    return client;
  }

  /**
   * Subscribes to {@code dataType}: the node sends NOTIFY-ed items of it, and {@code handler}'s
   * verdict goes back as a VALIDATION. A subscription lasts until {@link #close()}, across
   * reconnections.
   *
   * @throws IllegalArgumentException {@code dataType} is outside 0..65535
   * @throws IllegalStateException the type already has a handler, or the client is closed
   */
  public void subscribe(int dataType, Handler handler) {
    Objects.requireNonNull(handler, "handler");
    subscribeAsync(dataType, n -> CompletableFuture.completedFuture(handler.handle(n)));
  }

  /** As {@link #subscribe(int, Handler)}, with a verdict that may come later, from any thread. */
  public void subscribeAsync(int dataType, AsyncHandler handler) {
    requireU16("data type", dataType);
    Objects.requireNonNull(handler, "handler");
    lock.lock();
    try {
      requireOpen();
      if (handlers.containsKey(dataType)) {
        throw new IllegalStateException("data type " + dataType + " already has a handler; one handler per type");
      }
      handlers.put(dataType, handler);
      if (current != null && !current.broken) {
        control.addLast(new Control(current, Wire.notify(dataType)));
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues an ANNOUNCE of {@code data}: the node spreads it at most {@code ttl} hops (0 = unlimited)
   * and notifies its other local subscribers of the type. Returns once the item is queued; while
   * the client is disconnected it waits in the queue for the next connection. {@code data} is
   * copied: the caller may reuse the array at once.
   *
   * @throws IllegalArgumentException {@code dataType} outside 0..65535, {@code ttl} outside 0..255,
   *     or {@code data} not 1..65,527 bytes
   * @throws AnnounceQueueFullException the queue stayed full for {@link Options#announceTimeout()}
   * @throws IllegalStateException the client is closed
   * @throws InterruptedException interrupted while waiting for room
   */
  public void announce(int dataType, int ttl, byte[] data) throws InterruptedException {
    requireU16("data type", dataType);
    if (ttl < 0 || ttl > 0xFF) {
      throw new IllegalArgumentException("ttl " + ttl + " is outside 0..255 (0 = unlimited)");
    }
    Objects.requireNonNull(data, "data");
    if (data.length < 1 || data.length > Wire.MAX_DATA) {
      throw new IllegalArgumentException("data has " + data.length + " bytes; an item has 1.." + Wire.MAX_DATA);
    }
    byte[] frame = Wire.announce(ttl, dataType, data);
    lock.lockInterruptibly();
    try {
      requireOpen();
      long left = options.announceTimeout().toNanos();
      while (announceBytes + frame.length > options.announceQueueBytes()) {
        if (left <= 0) {
          throw new AnnounceQueueFullException("announce queue full: " + announceBytes + " of "
              + options.announceQueueBytes() + " bytes waiting for " + show(options.announceTimeout()) + " ("
              + (current == null ? "not connected to" : "writing to") + " gossip API at " + apiText + ")");
        }
        left = changed.awaitNanos(left);
        requireOpen();
      }
      announces.addLast(frame);
      announceBytes += frame.length;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until everything queued so far (announces, subscriptions, verdicts) has been written to
   * the socket, which is all a module can know: the API has no acknowledgements.
   *
   * @return false when {@code timeout} passed first, or the client closed with something unwritten
   */
  public boolean flush(Duration timeout) throws InterruptedException {
    long left = timeout.toNanos();
    lock.lockInterruptibly();
    try {
      while (!announces.isEmpty() || !control.isEmpty() || writing) {
        if (stopped || left <= 0) {
          return false;
        }
        left = changed.awaitNanos(left);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The connection's state now. */
  public ConnectionState state() {
    lock.lock();
    try {
      if (closedBecause != null) return ConnectionState.CLOSED;
      return current != null && !current.broken ? ConnectionState.CONNECTED : ConnectionState.DISCONNECTED;
    } finally {
      lock.unlock();
    }
  }

  /** Notifications handed to a handler whose verdict has not come yet. */
  public int pendingVerdicts() {
    lock.lock();
    try {
      return pendingVerdicts;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops reading, lets the handler that is running finish, writes what is queued (for at most
   * {@link Options#closeTimeout()}), then closes the connection. Announces still unwritten then are
   * dropped, with a log line. Idempotent.
   */
  @Override
  public void close() {
    if (!closeCalled.compareAndSet(false, true)) {
      return;
    }
    boolean wasOpen;
    Connection c;
    lock.lock();
    try {
      wasOpen = closedBecause == null;
      if (wasOpen) closedBecause = "close() was called";
      c = current;
      changed.signalAll(); // ends a backoff wait, or a wait for a free verdict slot
    } finally {
      lock.unlock();
    }
    closeQuietly(connecting);
    if (c != null) c.shutdownInput(); // the reader sees the end after the handler it may be running
    join(io);
    int dropped;
    lock.lock();
    try {
      long left = options.closeTimeout().toNanos();
      while ((!control.isEmpty() || !announces.isEmpty() || writing) && current != null && !current.broken
          && left > 0) {
        left = changed.awaitNanos(left);
      }
      dropped = announces.size();
      stopped = true;
      c = current;
      current = null;
      changed.signalAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      dropped = announces.size();
      stopped = true;
      c = current;
      current = null;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (c != null) {
      c.finish();
      settleAll(c);
    }
    join(writer);
    if (dropped > 0) {
      LOG.log(System.Logger.Level.WARNING, "gossip API at {0}: closed with {1} announces not written", apiText, dropped);
    }
    if (wasOpen) {
      tell(ConnectionState.CLOSED, null);
    }
  }

  // ---- connection thread ----

  private void run(Connection first) {
    Connection c = first;
    int failures = 0;
    while (true) {
      if (c != null) {
        tell(ConnectionState.CONNECTED, null);
        failures = 0;
        Throwable lost = readLoop(c);
        if (isClosed()) {
          return; // close() writes what is queued on c, then closes it
        }
        detach(c);
        if (!options.reconnect()) {
          shutDown(lost);
          return;
        }
        tell(ConnectionState.DISCONNECTED, lost);
        c = null;
      }
      if (!awaitBackoff(backoff(failures++))) {
        return;
      }
      try {
        c = open();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.DEBUG, "reconnection attempt {0} failed: {1}", failures, e.getMessage());
        continue;
      }
      if (!attach(c)) {
        c.finish(); // closed while connecting
        return;
      }
    }
  }

  /** Reads and dispatches until the connection ends; returns why it ended. */
  private Throwable readLoop(Connection c) {
    try {
      while (dispatch(c, Wire.read(c.in, apiText))) {
        // next notification
      }
      return c.failure; // closed, or broken by the writer, while waiting for a verdict slot
    } catch (EOFException e) {
      return c.failure != null ? c.failure : new EOFException("gossip API at " + apiText + " closed the connection");
    } catch (ProtocolException e) {
      return e;
    } catch (IOException e) {
      return c.failure != null ? c.failure : new IOException("gossip API at " + apiText + ": " + e.getMessage(), e);
    }
  }

  /** Hands one notification to its handler; false when the client closed while it waited for a slot. */
  private boolean dispatch(Connection c, Wire.Received received) {
    Notification n = received.notification();
    AsyncHandler handler = handlers.get(n.dataType());
    if (handler == null) {
      // the node notifies only types this connection sent NOTIFY for, all of which have handlers
      LOG.log(System.Logger.Level.DEBUG, "notification of unsubscribed type {0} left unanswered", n.dataType());
      return true;
    }
    lock.lock();
    try {
      // Checked before every dispatch, not only when reading fails: notifications already in the
      // read buffer must not reach a handler after close().
      if (closedBecause != null || c.broken) return false;
      // The bound on pending verdicts: stop reading until one comes. The node then holds the rest
      // (and closes this connection as a slow consumer if its own bound is hit).
      while (pendingVerdicts >= options.maxPendingVerdicts()) {
        changed.awaitUninterruptibly();
        if (closedBecause != null || c.broken) return false;
      }
      pendingVerdicts++;
    } finally {
      lock.unlock();
    }
    Pending pending = new Pending(c, received.messageId());
    c.pending.add(pending);
    CompletionStage<Verdict> verdict;
    try {
      verdict = handler.handle(n);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // an AssertionError too: a handler's bug must not end the connection thread
      LOG.log(System.Logger.Level.WARNING, "handler of data type " + n.dataType()
          + " threw; no verdict sent, the node lets the item expire", e);
      pending.settle(null);
      return true;
    }
    if (verdict == null) {
      pending.settle(null);
      return true;
    }
    verdict.whenComplete((v, e) -> {
      if (e != null) {
        LOG.log(System.Logger.Level.WARNING, "verdict of data type " + n.dataType()
            + " failed; none sent, the node lets the item expire", e);
      }
      pending.settle(e == null ? v : null);
    });
    return true;
  }

  /** Makes {@code c} the current connection, its first messages a NOTIFY per subscribed type. */
  private boolean attach(Connection c) {
    lock.lock();
    try {
      if (closedBecause != null) return false;
      current = c;
      for (int type : handlers.keySet()) {
        control.addLast(new Control(c, Wire.notify(type)));
      }
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void detach(Connection c) {
    lock.lock();
    try {
      if (current == c) current = null;
      control.removeIf(x -> x.connection == c);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    c.breakOff(null);
    settleAll(c);
  }

  /** The connection was lost and reconnecting is off: the client is closed for good. */
  private void shutDown(Throwable lost) {
    int dropped;
    lock.lock();
    try {
      closedBecause = lost == null ? "the connection ended" : lost.getMessage();
      dropped = announces.size();
      stopped = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (dropped > 0) {
      LOG.log(System.Logger.Level.WARNING, "gossip API at {0}: connection lost with {1} announces not written", apiText, dropped);
    }
    tell(ConnectionState.DISCONNECTED, lost);
    tell(ConnectionState.CLOSED, lost);
  }

  private void settleAll(Connection c) {
    for (Pending p : c.pending) {
      p.settle(null); // the node dropped these with the connection
    }
  }

  /** Waits {@code delay} unless the client closes first; true when it is still open. */
  private boolean awaitBackoff(Duration delay) {
    lock.lock();
    try {
      long left = delay.toNanos();
      while (closedBecause == null && left > 0) {
        left = changed.awaitNanos(left);
      }
      return closedBecause == null;
    } catch (InterruptedException e) {
      return false; // nobody but the JVM's shutdown interrupts this thread
    } finally {
      lock.unlock();
    }
  }

  /**
   * The delay before reconnection attempt {@code failures + 1}: the initial backoff doubled per
   * failure, capped, then drawn from the upper half of that so that modules that lost the same node
   * do not all come back in the same millisecond.
   */
  Duration backoff(int failures) {
    long initial = options.initialBackoff().toNanos();
    long max = options.maxBackoff().toNanos();
    long base = initial;
    for (int i = 0; i < failures && base < max; i++) {
      base = base > max / 2 ? max : base * 2;
    }
    long half = base / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(base - half + 1));
  }

  private Connection open() throws IOException {
    // resolved again on every attempt: the node may come back at a new address
    InetSocketAddress target = new InetSocketAddress(api.getHostString(), api.getPort());
    if (target.isUnresolved()) {
      throw new UnknownHostException("cannot connect to gossip API at " + apiText + ": unknown host " + api.getHostString());
    }
    Socket socket = new Socket();
    connecting = socket;
    try {
      // several servers read one TCP segment as one message: never let Nagle merge or split ours
      socket.setTcpNoDelay(true);
      socket.connect(target, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
      return new Connection(socket);
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw new SocketTimeoutException("cannot connect to gossip API at " + apiText + ": no answer within "
          + show(options.connectTimeout()));
    } catch (ConnectException e) {
      closeQuietly(socket);
      throw new ConnectException("cannot connect to gossip API at " + apiText + ": " + e.getMessage());
    } catch (IOException e) {
      closeQuietly(socket);
      throw new IOException("cannot connect to gossip API at " + apiText + ": " + e.getMessage(), e);
    } finally {
      connecting = null;
    }
  }

  // ---- writer thread ----

  private void writeLoop() {
    while (true) {
      Connection c;
      Object entry;
      byte[] frame;
      lock.lock();
      try {
        while (true) {
          if (stopped) return;
          c = current;
          if (c != null && !c.broken) {
            Control head = control.peekFirst();
            if (head != null) {
              entry = head;
              frame = head.frame;
              break;
            }
            byte[] announce = announces.peekFirst();
            if (announce != null) {
              entry = announce;
              frame = announce;
              break;
            }
          }
          changed.awaitUninterruptibly();
        }
        writing = true;
      } finally {
        lock.unlock();
      }
      IOException failure = null;
      try {
        c.out.write(frame); // one write per message, as the spec asks; the stream is unbuffered
      } catch (IOException e) {
        failure = e;
      }
      lock.lock();
      try {
        writing = false;
        // removed only once written: a failed announce stays first, for the next connection
        if (failure == null) {
          if (control.peekFirst() == entry) {
            control.pollFirst();
          } else if (announces.peekFirst() == entry) {
            announces.pollFirst();
            announceBytes -= frame.length;
          }
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      if (failure != null) {
        c.breakOff(new IOException("gossip API at " + apiText + ": cannot send: " + failure.getMessage(), failure));
      }
    }
  }

  // ---- helpers ----

  private boolean isClosed() {
    lock.lock();
    try {
      return closedBecause != null;
    } finally {
      lock.unlock();
    }
  }

  private void requireOpen() {
    if (closedBecause != null) {
      throw new IllegalStateException("client of gossip API at " + apiText + " is closed: " + closedBecause);
    }
  }

  private void tell(ConnectionState state, Throwable cause) {
    if (options.listener() == Options.LOG_STATE_CHANGES) {
      logStateChange(state, cause);
      return;
    }
    try {
      options.listener().onStateChange(state, cause);
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "connection listener threw on " + state, e);
    }
  }

  private void logStateChange(ConnectionState state, Throwable cause) {
    switch (state) {
      case CONNECTED -> LOG.log(System.Logger.Level.INFO, "connected to gossip API at {0}", apiText);
      case DISCONNECTED -> LOG.log(System.Logger.Level.WARNING, "{0}; reconnecting", message(cause));
      case CLOSED -> LOG.log(cause == null ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
          "client of gossip API at {0} closed{1}", apiText, cause == null ? "" : ": " + message(cause));
    }
  }

  private String message(Throwable cause) {
    return cause == null ? "gossip API at " + apiText + ": connection ended" : cause.getMessage();
  }

  private static void requireU16(String name, int value) {
    if (value < 0 || value > 0xFFFF) {
      throw new IllegalArgumentException(name + " " + value + " is outside 0..65535");
    }
  }

  private void join(Thread thread) {
    if (thread == null || thread == Thread.currentThread()) return;
    try {
      thread.join(options.closeTimeout().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String text(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort(); // an IPv6 literal
  }

  private static String show(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static void closeQuietly(Socket socket) {
    if (socket == null) return;
    try {
      socket.close();
    } catch (IOException e) {
      // nothing left to release
    }
  }

  /** A frame for one connection: its message ids and subscriptions mean nothing to the next. */
  private record Control(Connection connection, byte[] frame) {}

  private final class Connection {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;
    /** Notifications of this connection awaiting their verdict. */
    final Set<Pending> pending = ConcurrentHashMap.newKeySet();
    volatile boolean broken;
    /** Why the writer gave up on it, when it did: a better reason than the reader's "socket closed". */
    volatile IOException failure;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = socket.getOutputStream(); // unbuffered: each write() is one message
      // one largest frame plus one read: the reader never holds more
      this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), Options.MAX_FRAME + 1));
    }

    void breakOff(IOException cause) {
      if (cause != null && failure == null) failure = cause;
      broken = true;
      closeQuietly(socket); // wakes the reader
    }

    void shutdownInput() {
      try {
        socket.shutdownInput();
      } catch (IOException e) {
        breakOff(null); // already gone
      }
    }

    /** A clean end: a FIN after the last message, so that the node processes them all. */
    void finish() {
      try {
        socket.shutdownOutput();
      } catch (IOException e) {
        // gone already; nothing was left to deliver
      }
      closeQuietly(socket);
    }
  }

  /** One notification awaiting its verdict; settled once, by the verdict or by its connection's end. */
  private final class Pending {
    final Connection connection;
    final int messageId;
    final AtomicBoolean settled = new AtomicBoolean();

    Pending(Connection connection, int messageId) {
      this.connection = connection;
      this.messageId = messageId;
    }

    /** Frees its slot and, given a verdict and the connection still current, sends it. */
    void settle(Verdict verdict) {
      if (!settled.compareAndSet(false, true)) return;
      connection.pending.remove(this);
      lock.lock();
      try {
        pendingVerdicts--;
        if (verdict != null && current == connection && !connection.broken && !stopped) {
          control.addLast(new Control(connection, Wire.validation(messageId, verdict == Verdict.VALID)));
        }
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }
}
