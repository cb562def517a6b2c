package voidphone.gossip.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bytes that the peers in this process send each other over TCP, counted by the kernel: the
 * sum over the peer sockets of {@code tcp_info.bytes_acked} (payload bytes the other end received,
 * so after TLS or any other framing, retransmissions not counted twice, TCP/IP headers not
 * counted), read with {@code ss -ti}. A peer socket is one with a peer's listening port at either
 * end; the local API's sockets are not. Sockets that close within a window (a short-lived dial)
 * are counted from the kernel's close events ({@code ss -tiE}, watched in the background from
 * {@link #watch}), so none of a window's traffic is missed. Each end of a loopback link counts what
 * it sent, so the sum is everything all the peers sent.
 */
final class LoopbackTraffic implements AutoCloseable {
  private static final Pattern ACKED = Pattern.compile("\\bbytes_acked:(\\d+)");

  /** One TCP socket, by its two ends as ss prints them ({@code 127.0.0.1:4711}, {@code [::ffff:127.0.0.1]:4711}). */
  record Socket(String local, String peer) {
    int localPort() {
      return port(local);
    }

    int peerPort() {
      return port(peer);
    }

    private static int port(String address) {
      try {
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
      } catch (NumberFormatException e) {
        return -1; // "*"
      }
    }
  }

  /** The peer sockets' byte counts at one moment. */
  record Snapshot(Map<Socket, Long> live, long nanos) {}

  /** What a window counted: its bytes, the peer sockets open at its end, and those that closed within it. */
  record Window(long bytes, int sockets, int closed) {}

  private final Set<Integer> ports;
  private final Process events;
  private final Map<Socket, Long> closed = new ConcurrentHashMap<>();
  /** When each closed socket's event was read (nanoTime), to tell which window it belongs to. */
  private final Map<Socket, Long> closedAt = new ConcurrentHashMap<>();

  /** Counted down once ss reported the close of a probe socket: from then on no close is missed. */
  private final CountDownLatch listening = new CountDownLatch(1);
  private volatile int probePort = -2;

  private LoopbackTraffic(Set<Integer> ports, Process events) {
    this.ports = Set.copyOf(ports);
    this.events = events;
  }

  /**
   * Starts watching the sockets that have one of {@code ports} (the peers' listening ports) at an
   * end; returns once the close events are being read.
   */
  static LoopbackTraffic watch(Set<Integer> ports) throws IOException, InterruptedException {
    // stdbuf: ss writes its events through stdio, which would hold them back in a pipe's buffer
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(Path.of("/usr/bin/stdbuf"))) command.addAll(List.of("/usr/bin/stdbuf", "-oL"));
    command.addAll(List.of("ss", "-tinE"));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "ss-events-stop")); // even if close() is never reached
    LoopbackTraffic traffic = new LoopbackTraffic(ports, p);
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      // ss prints nothing until a socket closes: close one of ours until ss reports it
      traffic.probePort = probe.getLocalPort();
      Thread reader = new Thread(traffic::readEvents, "ss-events");
      reader.setDaemon(true);
      reader.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      do {
        try (java.net.Socket client = new java.net.Socket(probe.getInetAddress(), probe.getLocalPort());
            java.net.Socket accepted = probe.accept()) {
          client.getOutputStream().write(1);
        }
      } while (!traffic.listening.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline);
    }
    if (traffic.listening.getCount() > 0) {
      traffic.close();
      throw new IOException("ss -tinE reported no socket closing within 10 s: the kernel's close events are needed");
    }
    return traffic;
  }

  private void readEvents() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(events.getInputStream(), StandardCharsets.UTF_8))) {
      Socket pending = null;
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        if (!Character.isWhitespace(line.charAt(0))) {
          pending = socketOf(line);
          if (pending != null && (pending.localPort() == probePort || pending.peerPort() == probePort)) {
            listening.countDown();
          }
        } else if (pending != null) {
          if (counts(pending)) {
            closed.put(pending, acked(line));
            closedAt.put(pending, System.nanoTime());
          }
          pending = null;
        }
      }
    } catch (IOException e) {
      // the process ended: close() or a failure; what was read stays
    }
  }

  /** The peer sockets now. */
  Snapshot snapshot() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("ss", "-tinH").redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) throw new IOException("ss -tinH exited with " + p.exitValue());
    Map<Socket, Long> live = new HashMap<>();
    parse(out).forEach((s, bytes) -> {
      if (counts(s)) live.put(s, bytes);
    });
    return new Snapshot(live, System.nanoTime());
  }

  /**
   * Bytes sent on the peer sockets since {@code start}: a snapshot now, plus the sockets that
   * closed since (after a moment for their events to arrive).
   */
  Window since(Snapshot start) throws IOException, InterruptedException {
    Snapshot end = snapshot();
    Thread.sleep(200);
    Map<Socket, Long> closedInWindow = new HashMap<>();
    closedAt.forEach((s, at) -> {
      if (at >= start.nanos() && !end.live().containsKey(s)) closedInWindow.put(s, closed.get(s));
    });
    return new Window(windowBytes(start.live(), end.live(), closedInWindow), end.live().size(), closedInWindow.size());
  }

  private boolean counts(Socket s) {
    return ports.contains(s.localPort()) || ports.contains(s.peerPort());
  }

  /**
   * Bytes sent in a window: for each socket open at its end, what it sent since the start (all of
   * it if it opened within); for each that closed within, its final count less that at the start.
   */
  static long windowBytes(Map<Socket, Long> start, Map<Socket, Long> end, Map<Socket, Long> closedWithin) {
    long sum = 0;
    for (var e : end.entrySet()) sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
    for (var e : closedWithin.entrySet()) {
      if (!end.containsKey(e.getKey())) sum += Math.max(0, e.getValue() - start.getOrDefault(e.getKey(), 0L));
    }
    return sum;
  }

  /**
   * The sockets in {@code ss -ti} output (a line per socket, then an indented line of its
   * tcp_info) with their bytes_acked; a socket without that field has had nothing acked. The
   * first column is the state, unless ss was asked for one state only; the header, if any, is
   * skipped.
   */
  static Map<Socket, Long> parse(String ssOutput) {
    Map<Socket, Long> sockets = new HashMap<>();
    Socket pending = null;
    for (String line : ssOutput.split("\n")) {
      if (line.isBlank()) continue;
      if (!Character.isWhitespace(line.charAt(0))) {
        if (pending != null) sockets.put(pending, 0L);
        pending = socketOf(line);
      } else if (pending != null) {
        sockets.put(pending, acked(line));
        pending = null;
      }
    }
    if (pending != null) sockets.put(pending, 0L);
    return sockets;
  }

  /** The socket of an ss line, or null for the header. */
  private static Socket socketOf(String line) {
    String[] f = line.trim().split("\\s+");
    if (f.length < 4 || f[0].equals("State") || f[0].equals("Recv-Q")) return null;
    // State Recv-Q Send-Q Local Peer [Process], or without the state when ss filtered by one
    int at = Character.isDigit(f[0].charAt(0)) ? 2 : 3;
    if (f.length < at + 2) return null;
    return new Socket(f[at], f[at + 1]);
  }

  private static long acked(String infoLine) {
    Matcher m = ACKED.matcher(infoLine);
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Override
  public void close() {
    events.destroy();
    try {
      events.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
