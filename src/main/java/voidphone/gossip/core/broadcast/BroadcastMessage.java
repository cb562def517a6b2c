package voidphone.gossip.core.broadcast;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import voidphone.gossip.core.Checks;
import voidphone.gossip.core.NodeId;

/**
 * The four Plumtree messages between peers. The records check every field against the wire limits
 * below, so any message that exists can be encoded, and the simulator (which passes objects, not
 * bytes) cannot smuggle an oversized list past the bounds the codec enforces.
 */
public sealed interface BroadcastMessage {

  /** Largest data item: what one API NOTIFICATION can carry (65535 - 8 bytes of header). */
  int MAX_DATA = 0xFFFF - 8;
  /** The API's TTL is a u8; 0 means unlimited. */
  int MAX_TTL = 0xFF;
  /** Hop counts are u16 and saturate at this value instead of wrapping. */
  int MAX_HOPS = 0xFFFF;
  int MAX_DATA_TYPE = 0xFFFF;
  /** Most entries in one IHAVE: 1024 x 19 bytes, about 19 KiB. */
  int MAX_IHAVE_ENTRIES = 1024;
  /**
   * Most ids in one GRAFT. Each id may be answered with a 64 KiB payload, so this also caps what one
   * small GRAFT can make us send (together with the payload cache's size).
   */
  int MAX_GRAFT_IDS = 64;

  /**
   * The payload. {@code ttl} is what remains for the receiver (0 = unlimited); {@code hops} counts
   * the links this copy has crossed, including the one it arrives on (a direct neighbour of the
   * origin receives 1). {@code origin} and {@code nonce} let the receiver recompute {@code id}.
   */
  record Gossip(ItemId id, NodeId origin, long nonce, int ttl, int hops, int dataType, byte[] data)
      implements BroadcastMessage {
    public Gossip {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(origin, "origin");
      Checks.requireRange("ttl", ttl, 0, MAX_TTL);
      Checks.requireRange("hops", hops, 1, MAX_HOPS);
      Checks.requireRange("data type", dataType, 0, MAX_DATA_TYPE);
      Checks.requireRange("data length", data.length, 1, BroadcastMessage.MAX_DATA);
    }

    /** Whether {@code id} really is the hash of this origin, nonce, type and data. */
    public boolean idMatchesContent() {
      return id.equals(ItemId.of(origin, nonce, dataType, data));
    }

    /** The copy a node sends on: the given remaining ttl, one more hop (saturating). */
    Gossip forwarded(int nextTtl) {
      return new Gossip(id, origin, nonce, nextTtl, Math.min(hops + 1, MAX_HOPS), dataType, data);
    }

    Announcement announcement() {
      return new Announcement(id, Math.min(hops, Announcement.MAX_HOPS));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Gossip g
          && g.id.equals(id)
          && g.origin.equals(origin)
          && g.nonce == nonce
          && g.ttl == ttl
          && g.hops == hops
          && g.dataType == dataType
          && Arrays.equals(g.data, data);
    }

    @Override
    public int hashCode() {
      return Objects.hash(id, origin, nonce, ttl, hops, dataType) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      int shown = Math.min(data.length, 8);
      return "Gossip[id=" + id + ", origin=" + origin + ", ttl=" + ttl + ", hops=" + hops
          + ", type=" + dataType + ", data=" + data.length + "B:"
          + HexFormat.of().formatHex(data, 0, shown) + (shown < data.length ? "..." : "") + "]";
    }
  }

  /** Lazy push: the sender holds these items (1 to {@link #MAX_IHAVE_ENTRIES} of them). */
  record IHave(List<Announcement> announcements) implements BroadcastMessage {
    public IHave {
      announcements = List.copyOf(announcements);
      Checks.requireRange("IHAVE entries", announcements.size(), 1, MAX_IHAVE_ENTRIES);
    }
  }

  /**
   * "Make me your eager peer, and send me these items." An empty list only grafts the link (the
   * tree optimisation uses that to swap a long path for a shorter one).
   */
  record Graft(List<ItemId> ids) implements BroadcastMessage {
    public Graft {
      ids = List.copyOf(ids);
      Checks.requireRange("GRAFT ids", ids.size(), 0, MAX_GRAFT_IDS);
    }
  }

  /** "Your payloads reach me by another path: announce them to me lazily from now on." */
  record Prune() implements BroadcastMessage {}
}
