package voidphone.gossip.cli;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.api.MalformedMessageException;

/**
 * A local module of one node, as a test plays it over the node's real API: subscribed to one data
 * type, it answers every NOTIFICATION with VALIDATION(valid) at once and remembers when each item
 * (by its UTF-8 text) first arrived. A thread of its own reads, so the node never waits on the test.
 */
public final class ApiModule implements AutoCloseable {
  private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

  private final String name;
  private final Socket socket;
  private final Map<String, Long> firstSeenNanos = new ConcurrentHashMap<>();
  private volatile String failure;

  private ApiModule(String name, Socket socket) {
    this.name = name;
    this.socket = socket;
  }

  /** Connects to {@code api}, sends NOTIFY({@code dataType}) and starts answering. */
  public static ApiModule subscribe(String name, InetSocketAddress api, int dataType) throws IOException {
    Socket socket = connect(api);
    ApiModule module = new ApiModule(name, socket);
    OutputStream out = socket.getOutputStream();
    out.write(ApiWire.encode(new ApiMessage.Notify(dataType)));
    Thread.ofPlatform().daemon().name("api-module-" + name).start(() -> module.serve(out));
    return module;
  }

  /** One ANNOUNCE of {@code text} (TTL 0, unlimited) on a connection of its own, closed after the write. */
  public static void announce(InetSocketAddress api, int dataType, String text) throws IOException {
    try (Socket socket = connect(api)) {
      socket.getOutputStream().write(ApiWire.encode(new ApiMessage.Announce(0, dataType, text.getBytes(StandardCharsets.UTF_8))));
    }
  }

  private static Socket connect(InetSocketAddress api) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(api, CONNECT_TIMEOUT_MILLIS);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
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
        firstSeenNanos.putIfAbsent(new String(n.data(), StandardCharsets.UTF_8), System.nanoTime());
        out.write(ApiWire.encode(new ApiMessage.Validation(n.messageId(), true)));
      }
    } catch (IOException | MalformedMessageException e) {
      if (!socket.isClosed()) failure = name + ": API connection ended: " + e;
    }
  }

  /** When {@code text} first arrived ({@link System#nanoTime()}), or null if it has not. */
  public Long receivedAt(String text) {
    return firstSeenNanos.get(text);
  }

  /** Why the connection ended before {@link #close()}, or null while it is up. */
  public String failure() {
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
