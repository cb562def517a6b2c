package voidphone.gossip.core.broadcast;

import java.util.Objects;
import voidphone.gossip.core.Checks;

/**
 * One entry of an IHAVE: "I hold item {@code id}; if you GRAFT it from me, it reaches you after
 * {@code hops} hops" (those of the GOSSIP the announcer would have pushed eagerly, at most
 * {@link #MAX_HOPS}), so the receiver can compare path lengths (tree optimisation, closest
 * announcer) before asking. Nothing else: an entry is 9 bytes, and entries are most of the control
 * traffic. The ttl a GRAFTed copy carries comes with the copy; the receiver never needs it before.
 */
public record Announcement(ItemId id, int hops) {
  /** Bytes of one entry on the wire: id, hops u8. */
  public static final int WIRE_BYTES = ItemId.BYTES + 1;
  /** The most hops an entry states: an item that went further is announced as this far. */
  public static final int MAX_HOPS = 0xFF;

  public Announcement {
    Objects.requireNonNull(id, "id");
    Checks.requireRange("hops", hops, 1, MAX_HOPS);
  }
}
