package voidphone.gossip.admin;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a node for operators, served as JSON at {@code /status} (every field is described
 * in docs/METRICS.md).
 *
 * @param identity hex identity of this node
 * @param p2pAddress the address peers are told to dial
 * @param apiAddress the bound API address
 * @param active the active view: peers with an open link
 * @param passive the passive view: known peers without a link
 * @param counters monotonic counters and current gauges, by name
 * @param version this build's version ({@code voidphone.gossip.Version})
 * @param uptimeSeconds seconds since the node started
 * @param pow this node's proof of work against what it requires of everyone
 * @param bootstrappers the configured bootstrappers and what dialling each came to
 * @param subscribers subscribed API connections per data type
 * @param queues what waits inside the node now, by name
 */
public record NodeStatus(
    String identity,
    String p2pAddress,
    String apiAddress,
    List<PeerEntry> active,
    List<PeerEntry> passive,
    Map<String, Number> counters,
    String version,
    long uptimeSeconds,
    Pow pow,
    List<Bootstrapper> bootstrappers,
    Map<Integer, Integer> subscribers,
    Map<String, Number> queues) {

  /** The fields a node has without asking its parts (for tests of the endpoint itself). */
  public NodeStatus(String identity, String p2pAddress, String apiAddress, List<PeerEntry> active,
      List<PeerEntry> passive, Map<String, Number> counters) {
    this(identity, p2pAddress, apiAddress, active, passive, counters, "dev", 0, new Pow(0, 0, true), List.of(),
        Map.of(), Map.of());
  }

  /** A peer as listed in a view: its identity and its advertised {@code p2p_address}. */
  public record PeerEntry(String identity, String address) {}

  /**
   * This node's proof of work.
   *
   * @param ownBits leading zero bits of this node's own proof (its stamp)
   * @param requiredBits {@code pow_difficulty}: what this node's own proof is solved to and what
   *     it requires of every peer; a peer requiring more refuses this node
   * @param ready whether the proof is solved (false while a new key's proof is being solved: the
   *     node does not join until it is)
   */
  public record Pow(int ownBits, int requiredBits, boolean ready) {}

  /**
   * A configured bootstrapper.
   *
   * @param address as configured
   * @param state {@code reachable} (its last dial led to a link), {@code unreachable} (its last dial
   *     failed) or {@code unknown} (no dial of it has ended yet)
   * @param failedDials dials that failed in a row since it was last reachable
   * @param lastError why its last dial failed, null unless unreachable
   */
  public record Bootstrapper(String address, String state, int failedDials, String lastError) {}

  /** Compact JSON; keys in a fixed order so that diffs between snapshots read well. */
  public String toJson() {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"identity\":").append(quote(identity))
        .append(",\"p2p_address\":").append(quote(p2pAddress))
        .append(",\"api_address\":").append(quote(apiAddress))
        .append(",\"active\":");
    peers(b, active);
    b.append(",\"passive\":");
    peers(b, passive);
    b.append(",\"counters\":{");
    boolean first = true;
    for (Map.Entry<String, Number> e : counters.entrySet()) {
      if (!first) b.append(',');
      first = false;
      b.append(quote(e.getKey())).append(':').append(e.getValue());
    }
    b.append("},\"version\":").append(quote(version))
        .append(",\"uptime_seconds\":").append(uptimeSeconds)
        .append(",\"pow\":{\"own_bits\":").append(pow.ownBits())
        .append(",\"required_bits\":").append(pow.requiredBits())
        .append(",\"ready\":").append(pow.ready())
        .append("},\"bootstrappers\":[");
    for (int i = 0; i < bootstrappers.size(); i++) {
      Bootstrapper bs = bootstrappers.get(i);
      if (i > 0) b.append(',');
      b.append("{\"address\":").append(quote(bs.address()))
          .append(",\"state\":").append(quote(bs.state()))
          .append(",\"failed_dials\":").append(bs.failedDials())
          .append(",\"last_error\":").append(bs.lastError() == null ? "null" : quote(bs.lastError()))
          .append('}');
    }
    b.append("],\"subscribers\":{");
    first = true;
    for (Map.Entry<Integer, Integer> e : subscribers.entrySet()) {
      if (!first) b.append(',');
      first = false;
      b.append('"').append(e.getKey()).append("\":").append(e.getValue());
    }
    b.append("},\"queues\":{");
    first = true;
    for (Map.Entry<String, Number> e : queues.entrySet()) {
      if (!first) b.append(',');
      first = false;
      b.append(quote(e.getKey())).append(':').append(e.getValue());
    }
    return b.append("}}").toString();
  }

  private static void peers(StringBuilder b, List<PeerEntry> peers) {
    b.append('[');
    for (int i = 0; i < peers.size(); i++) {
      if (i > 0) b.append(',');
      PeerEntry p = peers.get(i);
      b.append("{\"identity\":").append(quote(p.identity())).append(",\"address\":").append(quote(p.address())).append('}');
    }
    b.append(']');
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
          else b.append(c);
        }
      }
    }
    return b.append('"').toString();
  }
}
