package voidphone.gossip.core.broadcast;

import java.util.Objects;
import voidphone.gossip.core.Checks;

/**
 * One entry of an IHAVE: "I hold item {@code id}; if you GRAFT it from me, it reaches you with
 * remaining {@code ttl} after {@code hops} hops". Both numbers are exactly those of the GOSSIP the
 * announcer would have pushed eagerly, so a repaired delivery spreads as far as an eager one would
 * have, and the receiver can compare path lengths (tree optimisation) before asking.
 */
public record Announcement(ItemId id, int ttl, int hops) {
  /** Bytes of one entry on the wire: id, ttl u8, hops u16. */
  public static final int WIRE_BYTES = ItemId.BYTES + 1 + 2;

  public Announcement {
    Objects.requireNonNull(id, "id");
    Checks.requireRange("ttl", ttl, 0, BroadcastMessage.MAX_TTL);
    Checks.requireRange("hops", hops, 1, BroadcastMessage.MAX_HOPS);
  }
}
