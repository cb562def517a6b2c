package voidphone.gossip.sim;

import java.util.List;

/**
 * How one item spread, over the nodes alive at the end of the run.
 *
 * @param index position of the item in the run (0 first)
 * @param origin the node that announced it
 * @param delivered nodes that had it, the origin included, alive at the end or not: the nodes
 *     its payloads were meant for
 * @param reached nodes alive at the end of the run that had it (the origin included, if alive)
 * @param alive nodes alive at the end of the run
 * @param payloads GOSSIP messages sent for it: eager pushes and GRAFT answers, lost ones included
 * @param payloadBytes bytes of those GOSSIP frames (length prefix and channel included, before TLS)
 * @param controlBytes its share of the IHAVE and GRAFT frames sent (each frame split evenly over
 *     the ids it names), in the same bytes
 * @param ldh last delivery hop: the most hops any delivery of it took
 * @param latencyP50Millis median virtual time from announcement to delivery, over deliveries
 * @param latencyP99Millis 99th percentile of the same
 * @param latencyMaxMillis the last delivery
 * @param missedBy up to {@link #MISSED_LISTED} live honest nodes that never had it, lowest index
 *     first: where to start tracing a loss
 */
public record ItemFigures(
    int index,
    int origin,
    int delivered,
    int reached,
    int alive,
    long payloads,
    long payloadBytes,
    double controlBytes,
    int ldh,
    long latencyP50Millis,
    long latencyP99Millis,
    long latencyMaxMillis,
    List<Integer> missedBy) {

  /** How many of the nodes that missed an item are named. */
  public static final int MISSED_LISTED = 10;

  public ItemFigures {
    missedBy = List.copyOf(missedBy);
  }

  /** Share of the live nodes that had the item. */
  public double reliability() {
    return alive == 0 ? 1.0 : (double) reached / alive;
  }

  /**
   * Relative message redundancy: payloads / (delivered - 1) - 1. 0 is a tree (each node but the
   * origin got one copy); flooding a d-regular overlay gives about d - 2. A node that crashed after
   * delivering the item counts, since it was alive when the payloads were sent. NaN if the item
   * reached no one.
   */
  public double rmr() {
    return delivered <= 1 ? Double.NaN : (double) payloads / (delivered - 1) - 1;
  }
}
