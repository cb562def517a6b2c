package voidphone.gossip.node;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.api.MalformedMessageException;

/**
 * A local module for end-to-end tests and benchmarks, written the way a module would be: one API
 * connection, and a reader thread that records every NOTIFICATION and answers it with a VALIDATION
 * at once: valid unless the module's predicate rejects the item. The answers to the notifications
 * read in one go leave together, flushed after the last of them.
 *
 * <p>Items are keyed by data type and data read as ISO-8859-1 text (one char per byte, so any bytes
 * round-trip); tests announce short ASCII strings.
 */
public final class TestModule implements AutoCloseable {
  /** What a benchmark hears of each notification, on the reader thread, after the VALIDATION went out. */
  @FunctionalInterface
  public interface Listener {
    void notified(int dataType, byte[] data, long receivedNanos);
  }

  /** An item as this module saw it. */
  record Item(int dataType, String text) {}

  private final Socket socket;
  private final OutputStream out; // guarded by this: the reader thread validates, others announce
  private final Predicate<ApiMessage.Notification> accepts;
  private final Listener listener;
  private final Map<Item, AtomicInteger> received = new ConcurrentHashMap<>();
  private final AtomicInteger notifications = new AtomicInteger();
  private final Thread reader;
  private volatile boolean closing;
  private volatile Throwable failure;

  private TestModule(Socket socket, Predicate<ApiMessage.Notification> accepts, Listener listener, String name)
      throws IOException {
    this.socket = socket;
    this.out = new BufferedOutputStream(socket.getOutputStream(), 8 * 1024);
    this.accepts = accepts;
    this.listener = listener;
    Input buffered = new Input(socket.getInputStream());
    DataInputStream in = new DataInputStream(buffered);
    this.reader = new Thread(() -> readLoop(in, buffered), name);
    reader.setDaemon(true);
    reader.start();
  }

  /** A module at {@code node} that finds every item valid. */
  public static TestModule connect(GossipNode node) {
    return connect(node.apiAddress(), n -> true, null);
  }

  /** A module at {@code node} that answers VALIDATION(valid) exactly for the items {@code accepts} accepts. */
  static TestModule connect(GossipNode node, Predicate<ApiMessage.Notification> accepts) {
    return connect(node.apiAddress(), accepts, null);
  }

  /**
   * A module that finds every item valid and tells {@code listener} of each, and keeps no record of
   * its own ({@link #count} and the like see nothing): a benchmark's, whose memory stays flat.
   */
  public static TestModule connect(InetSocketAddress api, Listener listener) {
    return connect(api, n -> true, listener);
  }

  private static TestModule connect(
      InetSocketAddress api, Predicate<ApiMessage.Notification> accepts, Listener listener) {
    try {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(api, 5_000);
      return new TestModule(s, accepts, listener, "module-" + api.getPort());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends NOTIFY for each type. NOTIFY has no reply: see {@link TestNetwork#awaitSubscribed}. */
  public TestModule subscribe(int... dataTypes) {
    for (int t : dataTypes) send(ApiWire.encode(new ApiMessage.Notify(t)));
    return this;
  }

  /** Announces {@code text} (as ISO-8859-1 bytes) with this TTL (0 = unlimited). */
  public void announce(int ttl, int dataType, String text) {
    announce(ttl, dataType, text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public void announce(int ttl, int dataType, byte[] data) {
    send(ApiWire.encode(new ApiMessage.Announce(ttl, dataType, data)));
  }

  private synchronized void send(byte[] frame) {
    try {
      out.write(frame);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Queues a VALIDATION; flushed with the others once the notifications read so far are answered. */
  private synchronized void answer(byte[] frame, boolean flush) throws IOException {
    out.write(frame);
    if (flush) out.flush();
  }

  /** How many NOTIFICATIONs carried this item (a correct node sends at most one). */
  int count(int dataType, String text) {
    AtomicInteger n = received.get(new Item(dataType, text));
    return n == null ? 0 : n.get();
  }

  boolean hasReceived(int dataType, String text) {
    return count(dataType, text) > 0;
  }

  /** Distinct items of this type received so far. */
  long distinct(int dataType) {
    return received.keySet().stream().filter(i -> i.dataType() == dataType).count();
  }

  /** The items notified more than once, with their counts. */
  Map<Item, Integer> duplicates() {
    Map<Item, Integer> d = new HashMap<>();
    received.forEach((item, n) -> {
      if (n.get() > 1) d.put(item, n.get());
    });
    return d;
  }

  /** Every NOTIFICATION this module got. */
  int notifications() {
    return notifications.get();
  }

  /** Throws if the reader saw anything but well-formed NOTIFICATIONs, or the node closed the connection. */
  void assertHealthy() {
    Throwable f = failure;
    if (f != null) throw new AssertionError("module connection failed: " + f, f);
  }

  /** The socket's input, read in bulk; tells how much of it is read and not yet taken, without a syscall. */
  private static final class Input extends BufferedInputStream {
    Input(java.io.InputStream in) {
      super(in, 64 * 1024);
    }

    synchronized int buffered() {
      return count - pos;
    }
  }

  private void readLoop(DataInputStream in, Input buffered) {
    try {
      while (true) {
        int size = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        byte[] body = new byte[size - ApiMessage.HEADER_SIZE];
        in.readFully(body);
        long now = System.nanoTime();
        ApiMessage.Notification n = ApiWire.decodeNotification(size, type, ByteBuffer.wrap(body));
        // answered at once, but sent with the answers to the notifications already read (one write for
        // a burst, as a module that reads in bulk would): the last of them flushes
        answer(ApiWire.encode(new ApiMessage.Validation(n.messageId(), accepts.test(n))), buffered.buffered() == 0);
        notifications.incrementAndGet();
        if (listener != null) { // a benchmark's module: the listener keeps what it needs, for hours if need be
          listener.notified(n.dataType(), n.data(), now);
          continue;
        }
        received
            .computeIfAbsent(new Item(n.dataType(), new String(n.data(), StandardCharsets.ISO_8859_1)),
                k -> new AtomicInteger())
            .incrementAndGet();
      }
    } catch (IOException | MalformedMessageException | RuntimeException e) {
      if (!closing) failure = e; // after close() the socket's end is expected, anything else is not
    }
  }

  @Override
  public void close() {
    closing = true;
    try {
      socket.close();
      reader.join(5_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
