package voidphone.gossip.core.broadcast;

/** The events the Plumtree core counts ({@link BroadcastStats}); exported as metrics by drivers. */
public enum BroadcastCounter {
  /** GOSSIP messages sent (eager pushes and GRAFT answers): the numerator of RMR. */
  PAYLOAD_SENT,
  /** GOSSIP messages received, duplicates and rejects included. */
  PAYLOAD_RECEIVED,
  /** GOSSIP messages for an item already seen. */
  DUPLICATES_RECEIVED,
  IHAVE_SENT,
  /** Ids carried by the IHAVEs sent. */
  IHAVE_IDS_SENT,
  IHAVE_RECEIVED,
  GRAFT_SENT,
  GRAFT_RECEIVED,
  PRUNE_SENT,
  PRUNE_RECEIVED,
  /** Items this node announced. */
  ITEMS_BROADCAST,
  /** Items handed to the driver for local delivery (each at most once). */
  ITEMS_DELIVERED,
  /** Delivered items the subscribers accepted and this node spread further (or would have, TTL permitting). */
  ITEMS_VALID,
  /** Delivered items a subscriber rejected; their sender was penalised. */
  ITEMS_INVALID,
  /** Delivered items whose verdict timed out. */
  ITEMS_EXPIRED,
  /** Delivered items no local module subscribes to. */
  ITEMS_UNWANTED,
  /** GOSSIP messages whose id did not match their content. */
  FORGED_IDS,
  /** GRAFTed ids answered with the payload. */
  GRAFTS_ANSWERED,
  /** GRAFTed ids not in the payload cache (never had, evicted, unvalidated or at TTL end). */
  GRAFTS_UNANSWERED,
  /** GRAFTed ids not answered because that neighbour had them already, or GRAFTs too many ({@link PeerAllowance}). */
  GRAFTS_REFUSED,
  /** Messages from a peer that is not a neighbour, ignored. */
  MESSAGES_FROM_NON_NEIGHBORS,
  /** Validated payloads evicted from the cache to make room. */
  CACHE_EVICTIONS,
  /** Item ids forgotten by the seen record to make room. */
  SEEN_EVICTIONS,
  /** Queued announcements not sent because the peer announced or pushed that item to us first. */
  LAZY_IDS_SKIPPED,
  /** Queued announcements dropped because a peer's lazy queue was full. */
  LAZY_IDS_DROPPED,
  /**
   * Received announcements ignored because too many items, or announcers of one item, were
   * tracked, or that announcer held its share of the table or announced too many ids ({@link
   * PeerAllowance}).
   */
  ANNOUNCEMENTS_DROPPED,
  /**
   * New items held back, unseen, because as many of their sender's items awaited a verdict as it
   * may have ({@link BroadcastConfig#maxUnjudgedPerPeer}).
   */
  ITEMS_HELD,
  /** New items dropped unseen because too many validations were pending, or held for their sender. */
  PENDING_OVERFLOWS,
  /** Tree optimisations: a shorter announced path replaced an eager link (paper section 3.8). */
  TREE_SHORTCUTS
}
