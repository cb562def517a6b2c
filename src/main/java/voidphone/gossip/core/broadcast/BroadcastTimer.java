package voidphone.gossip.core.broadcast;

/** The timers the Plumtree core asks its driver for ({@link BroadcastIo#schedule}). */
public sealed interface BroadcastTimer {

  /** An item announced by IHAVE may still be missing: GRAFT it from the next announcer. */
  record RequestMissing(ItemId id) implements BroadcastTimer {}

  /** Send the announcements queued for lazy peers. */
  record FlushAnnouncements() implements BroadcastTimer {}
}
