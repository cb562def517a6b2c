package voidphone.gossip.core.broadcast;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Random d-regular graphs for the multi-node tests. */
final class RandomGraphs {
  record Edge(int a, int b) {}

  private RandomGraphs() {}

  /**
   * A simple random d-regular graph on n vertices: pair up n x d "stubs" at random, rejecting
   * self-loops and parallel edges; restart in the rare case the last stubs cannot be paired.
   */
  static List<Edge> regular(int n, int d, SplittableRandom random) {
    if ((n * d) % 2 != 0 || d >= n) {
      throw new IllegalArgumentException("no simple " + d + "-regular graph on " + n + " vertices");
    }
    while (true) {
      List<Edge> edges = tryPairing(n, d, random);
      if (edges != null) {
        return edges;
      }
    }
  }

  private static List<Edge> tryPairing(int n, int d, SplittableRandom random) {
    List<Integer> stubs = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      for (int k = 0; k < d; k++) {
        stubs.add(v);
      }
    }
    Set<Long> present = new HashSet<>();
    List<Edge> edges = new ArrayList<>();
    while (!stubs.isEmpty()) {
      boolean paired = false;
      for (int attempt = 0; attempt < 100 && !paired; attempt++) {
        int i = random.nextInt(stubs.size());
        int j = random.nextInt(stubs.size());
        int a = stubs.get(i);
        int b = stubs.get(j);
        long key = (long) Math.min(a, b) * n + Math.max(a, b);
        if (i == j || a == b || present.contains(key)) {
          continue;
        }
        present.add(key);
        edges.add(new Edge(a, b));
        stubs.remove(Math.max(i, j));
        stubs.remove(Math.min(i, j));
        paired = true;
      }
      if (!paired) {
        return null;
      }
    }
    return edges;
  }
}
