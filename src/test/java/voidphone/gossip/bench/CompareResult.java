package voidphone.gossip.bench;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import voidphone.gossip.admin.JsonAccess;

/**
 * One row of {@code ./bench compare}: one system in one configuration and mode. Every system's run
 * prints it as one stdout line, {@code RESULT} and a JSON object with these fields (snake case),
 * whatever the language of its harness; fields beyond them are kept in {@link #extra}, in order.
 * A figure that could not be measured is JSON null, NaN here.
 *
 * @param mode {@code sequential} (each item published once the previous reached every node) or
 *     {@code rate} (a fixed number of items per second)
 * @param allP99Ms time from the publish until the last node has the item, over the items that arrived
 * @param lost items that did not reach every node within 10 s
 * @param copiesPerNodeItem payload copies each node received per item, duplicates included
 * @param bytesPerNodeItem bytes the nodes sent each other on the wire, control traffic included, per node and item
 * @param cpuMsPerItem the process's CPU time over the measured phase, per item
 */
record CompareResult(
    String system, String config, String why, int nodes, int items, String mode, double rate, double allP50Ms,
    double allP99Ms, int lost, double copiesPerNodeItem, double bytesPerNodeItem, double cpuMsPerItem, double wallS,
    Map<String, Object> extra) {
  static final String PREFIX = "RESULT ";
  static final List<String> FIELDS = List.of("system", "config", "why", "nodes", "items", "mode", "rate",
      "all_p50_ms", "all_p99_ms", "lost", "copies_per_node_item", "bytes_per_node_item", "cpu_ms_per_item", "wall_s");

  CompareResult {
    extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra)); // in order, nulls allowed
  }

  /** An extra field as text, or {@code fallback} when absent or null. */
  String text(String field, String fallback) {
    Object v = extra.get(field);
    return v == null ? fallback : v.toString();
  }

  /** The line a run prints: {@code RESULT {...}}. */
  String line() {
    return PREFIX + JsonAccess.write(toJson());
  }

  Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("system", system);
    m.put("config", config);
    m.put("why", why);
    m.put("nodes", nodes);
    m.put("items", items);
    m.put("mode", mode);
    m.put("rate", number(rate));
    m.put("all_p50_ms", number(allP50Ms));
    m.put("all_p99_ms", number(allP99Ms));
    m.put("lost", lost);
    m.put("copies_per_node_item", number(copiesPerNodeItem));
    m.put("bytes_per_node_item", number(bytesPerNodeItem));
    m.put("cpu_ms_per_item", number(cpuMsPerItem));
    m.put("wall_s", number(wallS));
    extra.forEach(m::putIfAbsent);
    return m;
  }

  /** JSON has no NaN: an unmeasured figure is null. */
  private static Object number(double v) {
    return Double.isFinite(v) ? v : null;
  }

  /** Reads a result line ({@code RESULT} and its JSON object); anything else is refused. */
  static CompareResult parseLine(String line) {
    String t = line.strip();
    if (!t.startsWith(PREFIX.strip())) throw new IllegalArgumentException("not a result line: " + abbreviate(t));
    Object json = JsonAccess.parse(t.substring(PREFIX.strip().length()).strip());
    if (!(json instanceof Map<?, ?> map)) throw new IllegalArgumentException("a result is a JSON object: " + abbreviate(t));
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) map;
    Map<String, Object> extra = new LinkedHashMap<>(m);
    FIELDS.forEach(extra::remove);
    return new CompareResult(text(m, "system"), text(m, "config"), text(m, "why"), (int) real(m, "nodes"),
        (int) real(m, "items"), text(m, "mode"), real(m, "rate"), real(m, "all_p50_ms"), real(m, "all_p99_ms"),
        (int) real(m, "lost"), real(m, "copies_per_node_item"), real(m, "bytes_per_node_item"),
        real(m, "cpu_ms_per_item"), real(m, "wall_s"), extra);
  }

  private static String text(Map<String, Object> m, String field) {
    if (!m.containsKey(field)) throw new IllegalArgumentException("result without \"" + field + "\"");
    Object v = m.get(field);
    if (!(v instanceof String s)) throw new IllegalArgumentException("\"" + field + "\" is not a string: " + v);
    return s;
  }

  private static double real(Map<String, Object> m, String field) {
    if (!m.containsKey(field)) throw new IllegalArgumentException("result without \"" + field + "\"");
    Object v = m.get(field);
    if (v == null) return Double.NaN;
    if (!(v instanceof Number n)) throw new IllegalArgumentException("\"" + field + "\" is not a number: " + v);
    return n.doubleValue();
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
