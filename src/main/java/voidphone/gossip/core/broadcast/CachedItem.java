package voidphone.gossip.core.broadcast;

import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;

/**
 * A validated item this node can still spread.
 *
 * @param outgoing the copy we send: already carrying the forwarded ttl and hop count, so a GRAFT is
 *     answered with exactly what an eager push would have sent
 * @param receivedFrom the peer our copy came from (ourselves for our own items); the tree
 *     optimisation may prune it
 * @param receivedHops the hop count our copy arrived with (0 for our own items)
 * @param cachedAtMillis when it entered the cache: how long the cache keeps items bounds how long a
 *     GRAFT may wait ({@link PayloadCache#retentionMillis})
 */
record CachedItem(Gossip outgoing, NodeId receivedFrom, int receivedHops, long cachedAtMillis) {}
