package voidphone.gossip.admin;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a node for operators, served as JSON at {@code /status}.
 *
 * @param identity hex identity of this node
 * @param p2pAddress the address peers are told to dial
 * @param apiAddress the bound API address
 * @param active the active view: peers with an open link
 * @param passive the passive view: known peers without a link
 * @param counters monotonic counters and current gauges, by name
 */
public record NodeStatus(
    String identity,
    String p2pAddress,
    String apiAddress,
    List<PeerEntry> active,
    List<PeerEntry> passive,
    Map<String, Number> counters) {

  /** A peer as listed in a view: its identity and its advertised {@code p2p_address}. */
  public record PeerEntry(String identity, String address) {}

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
