package voidphone.gossip.sim;

/**
 * How one node's join went, in virtual milliseconds from its {@code join} call; -1 for a
 * milestone it never reached.
 *
 * @param firstNeighborMillis until its first neighbour was up (the contact accepting the JOIN)
 * @param halfFullMillis until its active view was half full
 * @param fullMillis until its active view was full (at {@code degree})
 * @param activeSize its active view size when this was taken
 */
public record JoinTiming(long firstNeighborMillis, long halfFullMillis, long fullMillis, int activeSize) {}
