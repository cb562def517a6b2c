package voidphone.gossip.sim;

import voidphone.gossip.core.broadcast.BroadcastConfig;

/**
 * A broadcast experiment: an overlay is built and settles, a share of the nodes may crash, then
 * items are broadcast from random live nodes and traced on Plumtree and, in the same run, on the
 * flooding baseline.
 *
 * @param sim the network and the membership configuration
 * @param nodes how many nodes there are
 * @param overlay how their overlay is made
 * @param joinIntervalMillis for {@link Overlay#JOINS}: virtual time between two joins
 * @param settleMillis virtual time after the overlay is made before anything is broadcast
 * @param crash which nodes fail, and when
 * @param items what is broadcast, how often, and how long the run watches afterwards
 * @param broadcast the configuration of the Plumtree under test
 * @param compareFlood whether every node also runs the flooding baseline ({@link
 *     BroadcastConfig#flood}) on the same links, with the same items from the same origins
 */
public record BroadcastSpec(
    SimConfig sim,
    int nodes,
    Overlay overlay,
    long joinIntervalMillis,
    long settleMillis,
    Crash crash,
    Items items,
    BroadcastConfig broadcast,
    boolean compareFlood) {

  /** Most nodes: the traces keep a bit per node and item. */
  public static final int MAX_NODES = 1_000_000;

  public BroadcastSpec {
    if (nodes < 2 || nodes > MAX_NODES) {
      throw new IllegalArgumentException("nodes " + nodes + " is outside 2.." + MAX_NODES);
    }
    if (crash.afterItems() >= items.count()) {
      throw new IllegalArgumentException("the crash must come before the last item: after "
          + crash.afterItems() + " of " + items.count() + " items");
    }
    if (joinIntervalMillis < 0 || settleMillis < 0) {
      throw new IllegalArgumentException("join interval and settle time must not be negative");
    }
  }

  /** Defaults for everything but the network and the population. */
  public static BroadcastSpec of(SimConfig sim, int nodes) {
    return new BroadcastSpec(sim, nodes, Overlay.JOINS, 10, 30_000, Crash.NONE, Items.DEFAULT,
        BroadcastConfig.defaults(), true);
  }

  public BroadcastSpec withCrash(Crash value) {
    return new BroadcastSpec(sim, nodes, overlay, joinIntervalMillis, settleMillis, value, items, broadcast,
        compareFlood);
  }

  public BroadcastSpec withItems(Items value) {
    return new BroadcastSpec(sim, nodes, overlay, joinIntervalMillis, settleMillis, crash, value, broadcast,
        compareFlood);
  }

  public BroadcastSpec withOverlay(Overlay how, long joinInterval, long settle) {
    return new BroadcastSpec(sim, nodes, how, joinInterval, settle, crash, items, broadcast,
        compareFlood);
  }

  public BroadcastSpec withBroadcast(BroadcastConfig value) {
    return new BroadcastSpec(sim, nodes, overlay, joinIntervalMillis, settleMillis, crash, items, value,
        compareFlood);
  }

  public BroadcastSpec withCompareFlood(boolean value) {
    return new BroadcastSpec(sim, nodes, overlay, joinIntervalMillis, settleMillis, crash, items, broadcast,
        value);
  }

  /** How the overlay is made before anything is broadcast. */
  public enum Overlay {
    /**
     * The real protocol: node 0 starts alone, node i joins at i x the join interval through a
     * random earlier node (as in {@link MembershipScenario}). About 400 events per join.
     */
    JOINS,
    /**
     * A random graph of the full degree, laid out by the simulator ({@link Simulation#introduce}):
     * each node's {@code degree} link ends are paired at random, self-links and repeats skipped.
     * Two events per link (the accepts), so 100,000 nodes take seconds instead of minutes;
     * passive views start empty and fill from the shuffles while the overlay settles.
     */
    RANDOM
  }

  /**
   * A share of the nodes crashing at the same instant.
   *
   * @param fraction share of the live nodes that crash; 0 for none
   * @param afterItems when: right after item {@code afterItems} is announced, so that it is in
   *     flight (0: after settling, before the first item)
   * @param healMillis virtual time the membership gets between the crash and the next item (at
   *     least the item interval when the crash is between items). 0 with {@code afterItems} 0
   *     broadcasts into an overlay that has not yet noticed the crash
   */
  public record Crash(double fraction, int afterItems, long healMillis) {
    public static final Crash NONE = new Crash(0, 0, 0);

    public Crash {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("crash fraction " + fraction + " is outside [0, 1)");
      }
      if (afterItems < 0) {
        throw new IllegalArgumentException("crash after " + afterItems + " items: must not be negative");
      }
      if (healMillis < 0) {
        throw new IllegalArgumentException("heal time must not be negative");
      }
    }

    boolean happens() {
      return fraction > 0;
    }
  }

  /**
   * @param count items broadcast, each from a live node chosen at random; 1 to {@link #MAX_ITEMS}
   * @param intervalMillis virtual time between two items
   * @param warmUp the first items, excluded from the figures "once the tree has formed": the
   *     tree forms while they spread (a redundant link is pruned after a few duplicates). Items
   *     after a crash during the broadcasts are excluded too: the tree is being repaired
   * @param drainMillis virtual time watched after the last item, for late deliveries and repairs
   * @param validationDelayMillis how long each node's subscriber takes to answer VALID
   */
  public record Items(
      int count, long intervalMillis, int warmUp, long drainMillis, long validationDelayMillis) {
    /** Each item keeps a bit per node and a latency histogram: this bounds the traces' memory. */
    public static final int MAX_ITEMS = 10_000;

    public static final Items DEFAULT = new Items(100, 1_000, 10, 10_000, 0);

    public Items {
      if (count < 1 || count > MAX_ITEMS) {
        throw new IllegalArgumentException("items " + count + " is outside 1.." + MAX_ITEMS);
      }
      if (warmUp < 0 || warmUp >= count) {
        throw new IllegalArgumentException(
            "warm-up items " + warmUp + " must be fewer than the items (" + count + ")");
      }
      if (intervalMillis < 0 || drainMillis < 0) {
        throw new IllegalArgumentException("item interval and drain time must not be negative");
      }
      if (validationDelayMillis < 0 || validationDelayMillis > 60_000) {
        throw new IllegalArgumentException(
            "validation delay " + validationDelayMillis + " ms is outside 0..60000");
      }
    }
  }
}
