package voidphone.gossip.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * The report of {@code ./bench compare}: reads the {@link CompareResult} lines the systems' runs
 * printed (files named on the command line; other lines are ignored) and prints how each system
 * was configured and measured, one table of all rows, and the ratios of each peer's p99 and bytes
 * per node and item to this project's, mode by mode.
 */
public final class CompareReport {
  /** The system the ratios are taken against. */
  static final String OURS = "ours";
  /**
   * What a harness that does not report its validation step does, from its documentation: the
   * GossipSub harness's README (bench-peers/gossipsub/README.md, "What a run does").
   */
  private static final Map<String, String> VALIDATION_DOCUMENTED = Map.of("gossipsub",
      "a topic validator on every node that accepts every message (GossipSub forwards a message only once it"
          + " passed; as its harness documents it, not reported in its result)");

  private CompareReport() {}

  public static void main(String[] args) throws IOException {
    List<CompareResult> rows = new ArrayList<>();
    for (String file : args) {
      for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
        if (line.startsWith(CompareResult.PREFIX)) rows.add(CompareResult.parseLine(line));
      }
    }
    System.out.print(render(rows));
  }

  /** The whole report: configurations, measurement methods, the table, the ratios. */
  static String render(List<CompareResult> rows) {
    StringBuilder b = new StringBuilder();
    if (rows.isEmpty()) return "no results\n";
    b.append("How each system was configured, and why that is its fairest setting:\n");
    Set<String> seen = new LinkedHashSet<>();
    for (CompareResult r : rows) {
      if (seen.add(r.system() + "/" + r.config())) b.append("  ").append(r.system()).append(' ').append(r.config())
          .append(": ").append(r.why()).append('\n');
    }
    appendPerSystem(b, rows, "Validation", "validation");
    appendPerSystem(b, rows, "How the bytes were measured", "bytes_method");
    appendPerSystem(b, rows, "How the copies were counted", "copies_method");
    b.append('\n').append(table(rows));
    b.append('\n').append("Ratios, peer / ours (above 1x: ours is ahead), in the same mode:\n");
    for (String line : ratios(rows)) b.append("  ").append(line).append('\n');
    return b.toString();
  }

  private static void appendPerSystem(StringBuilder b, List<CompareResult> rows, String title, String field) {
    Map<String, String> bySystem = new LinkedHashMap<>();
    for (CompareResult r : rows) {
      String fallback = field.equals("validation") ? VALIDATION_DOCUMENTED.getOrDefault(r.system(), "(not reported)")
          : "(not reported)";
      bySystem.putIfAbsent(r.system(), r.text(field, fallback));
    }
    b.append(title).append(":\n");
    bySystem.forEach((system, text) -> b.append("  ").append(system).append(": ").append(text).append('\n'));
  }

  /** One line per row, in the order given, and a line saying what the columns are. */
  static String table(List<CompareResult> rows) {
    StringBuilder b = new StringBuilder();
    String head = "%-10s %-8s %-10s %6s %7s %10s %10s %5s %13s %12s %12s %7s%n";
    b.append(String.format(Locale.ROOT, head, "system", "config", "mode", "rate/s", "nodes", "all p50 ms", "all p99 ms",
        "lost", "copies/node", "B/node/item", "CPU ms/item", "wall s"));
    for (CompareResult r : rows) {
      b.append(String.format(Locale.ROOT, "%-10s %-8s %-10s %6s %7d %10s %10s %5d %13s %12s %12s %7s%n", r.system(),
          r.config(), r.mode(), r.mode().equals("rate") ? fixed(r.rate(), 0) : "-", r.nodes(), fixed(r.allP50Ms(), 2),
          fixed(r.allP99Ms(), 2), r.lost(), fixed(r.copiesPerNodeItem(), 2), fixed(r.bytesPerNodeItem(), 0),
          fixed(r.cpuMsPerItem(), 2), fixed(r.wallS(), 1)));
    }
    b.append("(all p50/p99: from the publish until the last node has the item, over the items that arrived;"
        + " lost: not at every node within 10 s; copies/node: payload copies each node received per item,"
        + " duplicates included; B/node/item: bytes the nodes sent each other on the wire per node and item,"
        + " control traffic included; CPU ms/item: the system's process over the measured phase)\n");
    return b.toString();
  }

  /**
   * Per mode (and rate), per peer: its p99 and bytes per node and item over ours, for the default
   * rows, for the tuned rows, and for each system's best row on each figure; then whether ours is
   * ahead on both in every one of them.
   */
  static List<String> ratios(List<CompareResult> rows) {
    List<String> lines = new ArrayList<>();
    Map<String, List<CompareResult>> byMode = new LinkedHashMap<>();
    for (CompareResult r : rows) byMode.computeIfAbsent(modeLabel(r), k -> new ArrayList<>()).add(r);
    List<String> behind = new ArrayList<>();
    int pairs = 0;
    for (var mode : byMode.entrySet()) {
      List<CompareResult> ours = mode.getValue().stream().filter(r -> r.system().equals(OURS)).toList();
      Set<String> peers = new LinkedHashSet<>();
      mode.getValue().stream().map(CompareResult::system).filter(s -> !s.equals(OURS)).forEach(peers::add);
      if (ours.isEmpty() || peers.isEmpty()) {
        lines.add(mode.getKey() + ": no " + (ours.isEmpty() ? "row of ours" : "peer row") + " to compare");
        continue;
      }
      Set<String> configs = new LinkedHashSet<>();
      ours.forEach(r -> configs.add(r.config()));
      for (String config : configs) {
        List<String> parts = new ArrayList<>();
        CompareResult mine = ours.stream().filter(r -> r.config().equals(config)).findFirst().orElseThrow();
        for (String peer : peers) {
          Optional<CompareResult> theirs = mode.getValue().stream()
              .filter(r -> r.system().equals(peer) && r.config().equals(config)).findFirst();
          if (theirs.isEmpty()) continue;
          parts.add(pair(peer, theirs.get().allP99Ms(), mine.allP99Ms(), theirs.get().bytesPerNodeItem(),
              mine.bytesPerNodeItem()));
          pairs++;
          note(behind, mode.getKey() + ", " + config + ", " + peer, theirs.get(), mine);
        }
        if (!parts.isEmpty()) lines.add(mode.getKey() + ", " + config + " against " + config + ": " + String.join("; ", parts));
      }
      List<String> parts = new ArrayList<>();
      CompareResult oursP99 = best(ours, CompareResult::allP99Ms), oursBytes = best(ours, CompareResult::bytesPerNodeItem);
      for (String peer : peers) {
        List<CompareResult> theirs = mode.getValue().stream().filter(r -> r.system().equals(peer)).toList();
        CompareResult p99 = best(theirs, CompareResult::allP99Ms), bytes = best(theirs, CompareResult::bytesPerNodeItem);
        parts.add(String.format(Locale.ROOT, "p99 %s/ours = %s (%s %s ms / %s %s ms), bytes %s/ours = %s (%s %s B / %s %s B)",
            peer, times(ratio(p99.allP99Ms(), oursP99.allP99Ms())), p99.config(), fixed(p99.allP99Ms(), 1),
            oursP99.config(), fixed(oursP99.allP99Ms(), 1), peer,
            times(ratio(bytes.bytesPerNodeItem(), oursBytes.bytesPerNodeItem())), bytes.config(),
            fixed(bytes.bytesPerNodeItem(), 0), oursBytes.config(), fixed(oursBytes.bytesPerNodeItem(), 0)));
      }
      lines.add(mode.getKey() + ", best row of each: " + String.join("; ", parts));
    }
    if (pairs > 0) {
      lines.add(behind.isEmpty()
          ? "ours is ahead of every peer on p99 and on bytes per node and item in every pairing above"
          : "ours is NOT ahead in: " + String.join("; ", behind));
    }
    return lines;
  }

  private static void note(List<String> behind, String where, CompareResult theirs, CompareResult mine) {
    List<String> figures = new ArrayList<>();
    if (!(ratio(theirs.allP99Ms(), mine.allP99Ms()) > 1)) figures.add("p99");
    if (!(ratio(theirs.bytesPerNodeItem(), mine.bytesPerNodeItem()) > 1)) figures.add("bytes");
    if (mine.lost() > theirs.lost()) figures.add("lost items");
    if (!figures.isEmpty()) behind.add(where + " (" + String.join(", ", figures) + ")");
  }

  private static String pair(String peer, double peerP99, double oursP99, double peerBytes, double oursBytes) {
    return "p99 " + peer + "/ours = " + times(ratio(peerP99, oursP99)) + ", bytes " + peer + "/ours = "
        + times(ratio(peerBytes, oursBytes));
  }

  /** The row with the lowest figure (NaN, unmeasured, last). */
  private static CompareResult best(List<CompareResult> rows, ToDoubleFunction<CompareResult> figure) {
    return rows.stream().min(Comparator.comparingDouble(r -> {
      double v = figure.applyAsDouble(r);
      return Double.isNaN(v) ? Double.POSITIVE_INFINITY : v;
    })).orElseThrow();
  }

  static String modeLabel(CompareResult r) {
    return r.mode().equals("rate") ? "rate " + fixed(r.rate(), 0) + "/s" : r.mode();
  }

  /** {@code peer / ours}, or NaN when either is unmeasured or ours is not positive. */
  static double ratio(double peer, double ours) {
    if (Double.isNaN(peer) || Double.isNaN(ours) || ours <= 0) return Double.NaN;
    return peer / ours;
  }

  /** A ratio as {@code 3.4x}: whole from 10 up, two decimals below 1. */
  static String times(double ratio) {
    if (Double.isNaN(ratio)) return "n/a";
    return String.format(Locale.ROOT, ratio >= 10 ? "%.0fx" : ratio >= 1 ? "%.1fx" : "%.2fx", ratio);
  }

  private static String fixed(double v, int digits) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }
}
