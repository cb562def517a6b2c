package voidphone.gossip.hostile;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;

/**
 * Honest items announced while an attack goes on: one ANNOUNCE (TTL 0, unlimited) every {@code
 * interval}, each at the next honest node in turn, so that items start both at the node under
 * attack and away from it. One API connection per node, kept open: an announcer is a module too.
 */
final class HonestStream implements AutoCloseable {
  private final String tag;
  private final List<Socket> sockets = new ArrayList<>();
  private final List<OutputStream> outs = new ArrayList<>();
  private final List<String> announced = new ArrayList<>();
  private final ScheduledExecutorService timer;
  private volatile String failure;

  private HonestStream(String tag) {
    this.tag = tag;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("honest-stream-" + tag).unstarted(r));
  }

  /** Starts announcing at once on {@code apis}; {@code tag} makes this stream's texts its own. */
  static HonestStream start(String tag, List<InetSocketAddress> apis, int dataType, Duration interval) throws IOException {
    HonestStream stream = new HonestStream(tag);
    for (InetSocketAddress api : apis) {
      Socket s = new Socket();
      s.setTcpNoDelay(true);
      s.connect(api, 5_000);
      stream.sockets.add(s);
      stream.outs.add(s.getOutputStream());
    }
    stream.timer.scheduleAtFixedRate(() -> stream.announceNext(dataType), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return stream;
  }

  private void announceNext(int dataType) {
    if (failure != null) return;
    int n;
    String text;
    synchronized (announced) {
      n = announced.size();
      text = HonestModule.HONEST + tag + " " + n;
    }
    try {
      outs.get(n % outs.size()).write(ApiWire.encode(new ApiMessage.Announce(0, dataType, text.getBytes(StandardCharsets.UTF_8))));
      synchronized (announced) {
        announced.add(text);
      }
    } catch (IOException e) {
      failure = "announcing " + text + ": " + e;
    }
  }

  /** Items announced so far. */
  int count() {
    synchronized (announced) {
      return announced.size();
    }
  }

  /** Stops announcing; returns every text announced, in order. Fails if an announcement did. */
  List<String> stop() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(5, TimeUnit.SECONDS)) throw new IllegalStateException("the announcer did not stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (failure != null) throw new UncheckedIOException(new IOException(failure));
    synchronized (announced) {
      return List.copyOf(announced);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    for (Socket s : sockets) {
      try {
        s.close();
      } catch (IOException ignored) {
        // closing: the items written were already handed to the node
      }
    }
  }
}
