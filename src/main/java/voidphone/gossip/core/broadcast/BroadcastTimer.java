package voidphone.gossip.core.broadcast;

import voidphone.gossip.core.NodeId;

/** The timers the Plumtree core asks its driver for ({@link BroadcastIo#schedule}). */
public sealed interface BroadcastTimer {

  /** An item announced by IHAVE may still be missing: GRAFT it from the next announcer. */
  record RequestMissing(ItemId id) implements BroadcastTimer {}

  /** Send the announcements queued for lazy peers. */
  record FlushAnnouncements() implements BroadcastTimer {}

  /** A link came up a moment ago: tell that neighbour of the items in the payload cache. */
  record AnnounceCached(NodeId peer) implements BroadcastTimer {}
}
