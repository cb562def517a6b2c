package voidphone.gossip.hostile;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.api.MalformedMessageException;

/**
 * The local module of one honest node, played over the node's real API: subscribed to one data
 * type, it judges every NOTIFICATION by its content, as a real module would: an item whose text
 * starts with {@value #HONEST} is valid, anything else invalid. It counts how often each honest item
 * was notified (a second notification of one item is a duplicate the node should never give) and
 * how many items it rejected. A thread of its own reads, so the node never waits on the test.
 */
final class HonestModule implements AutoCloseable {
  static final String HONEST = "honest ";
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final String name;
  private final Socket socket;
  private final Map<String, AtomicInteger> notified = new ConcurrentHashMap<>();
  private final AtomicLong rejected = new AtomicLong();
  private volatile String failure;

  private HonestModule(String name, Socket socket) {
    this.name = name;
    this.socket = socket;
  }

  /** Connects to {@code api}, sends NOTIFY({@code dataType}) and starts judging. */
  static HonestModule subscribe(String name, InetSocketAddress api, int dataType) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(api, CONNECT_TIMEOUT_MILLIS);
    HonestModule module = new HonestModule(name, socket);
    OutputStream out = socket.getOutputStream();
    out.write(ApiWire.encode(new ApiMessage.Notify(dataType)));
    Thread.ofPlatform().daemon().name("honest-module-" + name).start(() -> module.serve(out));
    return module;
  }

  private void serve(OutputStream out) {
    try {
      DataInputStream in = new DataInputStream(socket.getInputStream());
      while (true) {
        int size = in.readUnsignedShort();
        int type = in.readUnsignedShort();
        byte[] body = new byte[size - ApiMessage.HEADER_SIZE];
        in.readFully(body);
        ApiMessage.Notification n = ApiWire.decodeNotification(size, type, ByteBuffer.wrap(body));
        String text = new String(n.data(), StandardCharsets.UTF_8);
        boolean valid = text.startsWith(HONEST);
        if (valid) {
          notified.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
        } else {
          rejected.incrementAndGet();
        }
        out.write(ApiWire.encode(new ApiMessage.Validation(n.messageId(), valid)));
      }
    } catch (IOException | MalformedMessageException e) {
      if (!socket.isClosed()) failure = name + ": API connection ended: " + e;
    }
  }

  String name() {
    return name;
  }

  /** How many times the honest item {@code text} was notified: 1 is right, 0 lost, more duplicated. */
  int timesNotified(String text) {
    AtomicInteger n = notified.get(text);
    return n == null ? 0 : n.get();
  }

  /** Items this module judged invalid so far. */
  long rejected() {
    return rejected.get();
  }

  /** Why the connection ended before {@link #close()}, or null while it is up. */
  String failure() {
    return failure;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing: nothing left to do with it
    }
  }
}
