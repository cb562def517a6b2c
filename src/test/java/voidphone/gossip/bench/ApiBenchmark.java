package voidphone.gossip.bench;

import io.netty.channel.epoll.Epoll;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.config.GossipConfig;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Hostkey;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.link.TestKeys;
import voidphone.gossip.node.GossipNode;

/**
 * {@code ./bench api}: how many items per second one node passes from an announcing module to a
 * validating subscriber, and how long each takes, against a bare TCP echo measured the same way in
 * the same run. Not a test: it asserts nothing, it reports.
 *
 * <p>Options: {@code --items N} (measured items per pipelined run, default 1,000,000),
 * {@code --window N} (items in flight, default 1,000), {@code --single N} (items measured one at
 * a time, default 20,000), {@code --size N} (data bytes per item, default 100), {@code --repeat N}
 * (pipelined runs per target; the median is reported, default 3).
 */
public final class ApiBenchmark {
  static final int DATA_TYPE = 4711;

  private record Options(int items, int window, int single, int size, int repeat) {
    static Options parse(String[] args) {
      int items = 1_000_000, window = 1_000, single = 20_000, size = 100, repeat = 3;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("missing value after " + args[i]);
        }
        int v = Integer.parseInt(args[i + 1]);
        switch (args[i]) {
          case "--items" -> items = v;
          case "--window" -> window = v;
          case "--single" -> single = v;
          case "--size" -> size = v;
          case "--repeat" -> repeat = v;
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return new Options(items, window, single, size, repeat);
    }
  }

  private ApiBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench api: " + e.getMessage()
          + "; options: --items N --window N --single N --size N --repeat N");
      System.exit(2);
      return;
    }
    System.out.printf("API benchmark: announce -> notification, %d-byte items, one announcer, "
        + "one subscriber that validates each, node on one event-loop thread%n", o.size());
    System.out.printf("machine: %d cores, %s, JDK %s (%s), transport %s, date %s%n",
        Runtime.getRuntime().availableProcessors(), Machine.cpuModel(), System.getProperty("java.version"),
        System.getProperty("java.vendor"), Epoll.isAvailable() ? "epoll" : "nio", LocalDate.now());
    System.out.printf("pipelined: %d items x %d runs, window %d; one at a time: %d items%n%n",
        o.items(), o.repeat(), o.window(), o.single());

    Hostkey hostkey = HostkeyFile.fromKeyPair(TestKeys.get(0));
    GossipConfig config = GossipConfig.withDefaults(
        java.nio.file.Files.createTempDirectory("gossip-bench").resolve("hostkey.pem"), new HostPort("127.0.0.1", 0), new HostPort("127.0.0.1", 0));

    List<Row> rows = new ArrayList<>();
    try (GossipNode node = GossipNode.start(config, hostkey);
        Socket announcer = connect(node.apiAddress());
        Socket subscriber = connect(node.apiAddress());
        EchoServer echo = new EchoServer();
        Socket echoSocket = connect(echo.address())) {
      subscribe(announcer, subscriber);

      // warm both paths up (JIT, buffers) before anything counts
      FrameRun.run(announcer, subscriber, true, Math.min(o.items(), 200_000), o.window(), o.size());
      FrameRun.run(echoSocket, echoSocket, false, Math.min(o.items(), 200_000), o.window(), o.size());

      Row nodePipelined = median("node, window " + o.window(), o.repeat(),
          () -> FrameRun.run(announcer, subscriber, true, o.items(), o.window(), o.size()));
      Row echoPipelined = median("echo, window " + o.window(), o.repeat(),
          () -> FrameRun.run(echoSocket, echoSocket, false, o.items(), o.window(), o.size()));
      Row nodeSingle = median("node, one at a time", 1,
          () -> FrameRun.run(announcer, subscriber, true, o.single(), 1, o.size()));
      Row echoSingle = median("echo, one at a time", 1,
          () -> FrameRun.run(echoSocket, echoSocket, false, o.single(), 1, o.size()));
      rows.addAll(List.of(nodePipelined, echoPipelined, nodeSingle, echoSingle));

      System.out.printf("%-24s %12s %10s %10s %10s %10s%n", "", "items/s", "p50 us", "p99 us", "p99.9 us", "max us");
      for (Row r : rows) {
        r.print();
      }
      System.out.println();
      System.out.printf("node/echo throughput, pipelined: %.2f%n", nodePipelined.perSecond / echoPipelined.perSecond);
      System.out.printf("node/echo p50 latency, one at a time: %.2f%n", nodeSingle.p50 / echoSingle.p50);
      System.out.printf("target >= 100000 items/s: %s%n", nodePipelined.perSecond >= 100_000 ? "met" : "NOT met");
    }
  }

  private interface Measurement {
    FrameRun.Result run() throws Exception;
  }

  private record Row(String name, double perSecond, double p50, double p99, double p999, double max) {
    void print() {
      System.out.printf("%-24s %12.0f %10.1f %10.1f %10.1f %10.1f%n", name, perSecond, p50, p99, p999, max);
    }
  }

  /** Runs {@code m} {@code repeat} times and keeps the run with the median throughput. */
  private static Row median(String name, int repeat, Measurement m) throws Exception {
    List<Row> runs = new ArrayList<>();
    for (int i = 0; i < repeat; i++) {
      FrameRun.Result r = m.run();
      var h = r.latency();
      runs.add(new Row(name, r.itemsPerSecond(), h.getValueAtPercentile(50) / 1e3,
          h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3));
    }
    runs.sort(Comparator.comparingDouble(Row::perSecond));
    return runs.get(runs.size() / 2);
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(address, 5_000);
    return s;
  }

  /**
   * Subscribes and waits until the node has seen it. NOTIFY has no reply, so probe: announce until
   * a probe arrives, then send a fence and read up to it, leaving both sockets quiet.
   */
  private static void subscribe(Socket announcer, Socket subscriber) throws IOException {
    subscriber.getOutputStream().write(ApiWire.encode(new ApiMessage.Notify(DATA_TYPE)));
    DataInputStream in = new DataInputStream(subscriber.getInputStream());
    subscriber.setSoTimeout(100);
    for (int attempt = 0; ; attempt++) {
      if (attempt == 100) {
        throw new IOException("the node never delivered a probe to the subscriber");
      }
      announcer.getOutputStream().write(ApiWire.encode(new ApiMessage.Announce(0, DATA_TYPE, new byte[] {1})));
      try {
        readAndValidate(in, subscriber);
        break;
      } catch (SocketTimeoutException notYet) {
        // not subscribed yet when that probe arrived
      }
    }
    subscriber.setSoTimeout(10_000);
    announcer.getOutputStream().write(ApiWire.encode(new ApiMessage.Announce(0, DATA_TYPE, new byte[] {2})));
    while (readAndValidate(in, subscriber) != 2) {
      // a later probe
    }
    subscriber.setSoTimeout(0);
  }

  private static int readAndValidate(DataInputStream in, Socket subscriber) throws IOException {
    int size = in.readUnsignedShort();
    in.readUnsignedShort();
    int id = in.readUnsignedShort();
    in.readUnsignedShort();
    byte[] data = in.readNBytes(size - ApiMessage.FIXED_SIZE);
    subscriber.getOutputStream().write(ApiWire.encode(new ApiMessage.Validation(id, true)));
    return data[0];
  }
}
