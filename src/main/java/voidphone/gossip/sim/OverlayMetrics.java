package voidphone.gossip.sim;

/**
 * The shape of the overlay at one instant, over the nodes that are alive.
 *
 * @param timeMillis virtual time it was taken at
 * @param alive nodes alive
 * @param largestComponent nodes in the largest connected component of the link graph, where two
 *     nodes are linked when each has the other in its active view
 * @param isolated alive nodes with an empty active view
 * @param active sizes of the active views, dead entries included (what the cores hold)
 * @param passive sizes of the passive views
 * @param liveNeighborsMean mean number of active-view entries naming a live node
 * @param asymmetricEntries active-view entries naming a live node that does not name us back
 * @param deadEntries active-view entries naming a node that crashed or left
 */
public record OverlayMetrics(
    long timeMillis,
    int alive,
    int largestComponent,
    int isolated,
    ViewStats active,
    ViewStats passive,
    double liveNeighborsMean,
    long asymmetricEntries,
    long deadEntries) {

  /** Share of the live nodes in the largest component; 1 for an empty overlay. */
  public double connectivity() {
    return alive == 0 ? 1.0 : (double) largestComponent / alive;
  }

  /** Minimum, mean and maximum size of one view over the live nodes. */
  public record ViewStats(int min, double mean, int max) {
    @Override
    public String toString() {
      return String.format(java.util.Locale.ROOT, "%d / %.1f / %d", min, mean, max);
    }
  }

  /** Measures the overlay of {@code sim} now: O(nodes x degree), no allocation per edge. */
  public static OverlayMetrics measure(Simulation sim) {
    return measure(sim, false);
  }

  /**
   * The same over the honest nodes only, as if the sybils were gone: what the honest nodes can
   * still reach among themselves. Sybils count neither as alive nor as neighbours.
   */
  public static OverlayMetrics measureHonest(Simulation sim) {
    return measure(sim, true);
  }

  private static OverlayMetrics measure(Simulation sim, boolean honestOnly) {
    int n = sim.size();
    int alive = 0;
    int isolated = 0;
    long asymmetric = 0;
    long dead = 0;
    int activeMin = Integer.MAX_VALUE;
    int activeMax = 0;
    long activeSum = 0;
    int passiveMin = Integer.MAX_VALUE;
    int passiveMax = 0;
    long passiveSum = 0;
    int[][] symmetric = new int[n][];
    for (int i = 0; i < n; i++) {
      if (!sim.isAlive(i) || (honestOnly && !sim.isHonest(i))) {
        continue;
      }
      alive++;
      int[] neighbors = sim.neighbors(i);
      int kept = 0;
      for (int j = 0; j < neighbors.length; j++) {
        int peer = neighbors[j];
        if (honestOnly && !sim.isHonest(peer)) {
          continue; // neither a live neighbour nor a dead one: left out
        }
        if (!sim.isAlive(peer)) {
          dead++;
        } else if (!sim.isNeighbor(peer, i)) {
          asymmetric++;
        } else {
          neighbors[kept++] = peer;
        }
      }
      symmetric[i] = java.util.Arrays.copyOf(neighbors, kept);
      int a = neighbors.length;
      if (a == 0) {
        isolated++;
      }
      activeMin = Math.min(activeMin, a);
      activeMax = Math.max(activeMax, a);
      activeSum += a;
      int p = sim.passiveSize(i);
      passiveMin = Math.min(passiveMin, p);
      passiveMax = Math.max(passiveMax, p);
      passiveSum += p;
    }
    if (alive == 0) {
      activeMin = 0;
      passiveMin = 0;
    }
    return new OverlayMetrics(
        sim.now(),
        alive,
        largestComponent(symmetric),
        isolated,
        new ViewStats(activeMin, alive == 0 ? 0 : (double) activeSum / alive, activeMax),
        new ViewStats(passiveMin, alive == 0 ? 0 : (double) passiveSum / alive, passiveMax),
        alive == 0 ? 0 : (double) (activeSum - dead) / alive,
        asymmetric,
        dead);
  }

  private static int largestComponent(int[][] edges) {
    int n = edges.length;
    boolean[] seen = new boolean[n];
    int[] queue = new int[n];
    int best = 0;
    for (int start = 0; start < n; start++) {
      if (edges[start] == null || seen[start]) {
        continue;
      }
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      seen[start] = true;
      while (head < tail) {
        for (int next : edges[queue[head++]]) {
          if (!seen[next]) {
            seen[next] = true;
            queue[tail++] = next;
          }
        }
      }
      best = Math.max(best, tail);
    }
    return best;
  }
}
