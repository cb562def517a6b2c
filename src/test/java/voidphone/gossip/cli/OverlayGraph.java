package voidphone.gossip.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The overlay as the nodes' {@code /status} pages describe it, taken one node after another (so
 * not at one instant). Two nodes are linked when each lists the other in its active view: a link
 * only one end lists is being opened or closed, and is not counted.
 *
 * @param views each node's status, indexed by node number
 */
public record OverlayGraph(List<StatusView> views) {
  public OverlayGraph {
    views = List.copyOf(views);
  }

  /** The node number of each identity among {@link #views}. */
  private Map<String, Integer> index() {
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < views.size(); i++) index.put(views.get(i).identity(), i);
    return index;
  }

  /** Whether nodes {@code a} and {@code b} list each other as active. */
  public boolean linked(int a, int b) {
    return views.get(a).active().contains(views.get(b).identity()) && views.get(b).active().contains(views.get(a).identity());
  }

  /** The connected components under symmetric links, as sets of node numbers, largest first. */
  public List<TreeSet<Integer>> components() {
    int n = views.size();
    boolean[] seen = new boolean[n];
    List<TreeSet<Integer>> components = new ArrayList<>();
    for (int start = 0; start < n; start++) {
      if (seen[start]) continue;
      TreeSet<Integer> component = new TreeSet<>();
      Deque<Integer> todo = new ArrayDeque<>(List.of(start));
      seen[start] = true;
      while (!todo.isEmpty()) {
        int node = todo.poll();
        component.add(node);
        for (int other = 0; other < n; other++) {
          if (!seen[other] && linked(node, other)) {
            seen[other] = true;
            todo.add(other);
          }
        }
      }
      components.add(component);
    }
    components.sort((x, y) -> y.size() - x.size());
    return components;
  }

  public boolean connected() {
    return components().size() == 1;
  }

  /** The fewest of the other nodes any one node knows, in its active or its passive view. */
  public int leastKnown() {
    Map<String, Integer> index = index();
    int least = Integer.MAX_VALUE;
    for (StatusView v : views) {
      Set<Integer> known = new HashSet<>();
      for (String id : v.active()) if (index.containsKey(id)) known.add(index.get(id));
      for (String id : v.passive()) if (index.containsKey(id)) known.add(index.get(id));
      least = Math.min(least, known.size());
    }
    return least;
  }

  /** Symmetric links with one end in {@code side} and the other not. */
  public List<String> linksAcross(Set<Integer> side) {
    List<String> across = new ArrayList<>();
    for (int a : side) {
      for (int b = 0; b < views.size(); b++) {
        if (!side.contains(b) && linked(a, b)) across.add("n" + a + "-n" + b);
      }
    }
    return across;
  }

  /**
   * How much each of {@code counters} grew at each node from {@code before} (the same nodes, earlier)
   * to this snapshot: one line per counter, {@code n0=1 n1=0 ...}.
   */
  public String countersSince(OverlayGraph before, String... counters) {
    StringBuilder b = new StringBuilder();
    for (String name : counters) {
      b.append(String.format("  %-20s", name));
      for (int i = 0; i < views.size(); i++) {
        b.append(" n").append(i).append('=').append(views.get(i).counter(name) - before.views().get(i).counter(name));
      }
      b.append('\n');
    }
    return b.toString();
  }

  /**
   * One line per node: its active view (a {@code ?} marks a peer that does not list it back) and
   * its passive view, as node numbers ({@code ext} for an identity that is none of these nodes'),
   * then the components.
   */
  public String describe() {
    Map<String, Integer> index = index();
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < views.size(); i++) {
      StatusView v = views.get(i);
      int self = i;
      String active = v.active().stream().map(id -> {
        Integer j = index.get(id);
        if (j == null) return "ext:" + id.substring(0, 8);
        return "n" + j + (views.get(j).active().contains(views.get(self).identity()) ? "" : "?");
      }).collect(Collectors.joining(" "));
      String passive = v.passive().stream().map(id -> index.containsKey(id) ? "n" + index.get(id) : "ext:" + id.substring(0, 8))
          .collect(Collectors.joining(" "));
      b.append(String.format("n%-2d %s active [%s] passive [%s]%n", i, v.identity().substring(0, 8), active, passive));
    }
    b.append("components: ").append(components().stream()
        .map(c -> c.stream().map(j -> "n" + j).collect(Collectors.joining(",", "{", "}")))
        .collect(Collectors.joining(" "))).append('\n');
    return b.toString();
  }
}
