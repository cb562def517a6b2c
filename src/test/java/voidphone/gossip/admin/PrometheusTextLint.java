package voidphone.gossip.admin;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, for tests: returns every problem
 * it finds, an empty list for a clean exposition. Stricter than Prometheus itself where an operator
 * benefits: every family must have a non-empty HELP and a TYPE, both before its samples; counters
 * end in {@code _total}; histograms have {@code _bucket} series with increasing {@code le} ending in
 * {@code le="+Inf"}, non-decreasing counts, and {@code _sum} and {@code _count} (the {@code +Inf}
 * bucket equal to {@code _count}); no series twice; a family's samples all together.
 */
public final class PrometheusTextLint {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)( -?[0-9]+)?");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"");
  private static final Pattern NUMBER = Pattern.compile("[-+]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]+)?");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  private PrometheusTextLint() {}

  private static final class Family {
    String help;
    String type;
    boolean sampled;
    /** Per label set without {@code le}: the buckets (le → count), the sum and the count. */
    final Map<String, TreeMap<Double, Double>> buckets = new HashMap<>();
    final Map<String, Double> counts = new HashMap<>();
    final Set<String> sums = new HashSet<>();
  }

  /** The problems of {@code text}, each naming its line; empty when there are none. */
  public static List<String> problems(String text) {
    List<String> problems = new ArrayList<>();
    if (!text.isEmpty() && !text.endsWith("\n")) problems.add("the exposition does not end with a newline");
    Map<String, Family> families = new HashMap<>();
    Set<String> series = new HashSet<>();
    Set<String> finished = new HashSet<>();
    String current = null;
    String[] lines = text.split("\n", -1);
    for (int n = 0; n < lines.length - 1; n++) {
      String line = lines[n];
      String at = "line " + (n + 1) + " (" + line + "): ";
      if (line.isEmpty()) {
        problems.add(at + "empty line");
        continue;
      }
      if (line.startsWith("#")) {
        String[] parts = line.split(" ", 4);
        if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
          String name = parts[2];
          if (!NAME.matcher(name).matches()) problems.add(at + "invalid metric name");
          Family f = families.computeIfAbsent(name, k -> new Family());
          if (f.sampled) problems.add(at + parts[1] + " after the family's samples");
          if (current != null && !current.equals(name)) finished.add(current);
          if (finished.contains(name)) problems.add(at + "family " + name + " appears twice");
          current = name;
          String value = parts.length == 4 ? parts[3] : "";
          if (parts[1].equals("HELP")) {
            if (f.help != null) problems.add(at + "second HELP");
            if (value.isBlank()) problems.add(at + "empty HELP");
            f.help = value;
          } else {
            if (f.type != null) problems.add(at + "second TYPE");
            if (!TYPES.contains(value)) problems.add(at + "unknown type " + value);
            f.type = value;
          }
        }
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        problems.add(at + "not a sample");
        continue;
      }
      String name = m.group(1);
      Map<String, String> labels = new TreeMap<>();
      if (m.group(3) != null && !m.group(3).isEmpty()) {
        String rest = m.group(3);
        if (rest.endsWith(",")) rest = rest.substring(0, rest.length() - 1);
        Matcher l = LABEL.matcher(rest);
        int pos = 0;
        while (pos < rest.length()) {
          if (!l.find(pos) || l.start() != pos) {
            problems.add(at + "bad label syntax at " + rest.substring(pos));
            break;
          }
          String label = l.group(1);
          if (!LABEL_NAME.matcher(label).matches() || label.startsWith("__")) problems.add(at + "bad label name " + label);
          if (labels.put(label, l.group(2)) != null) problems.add(at + "label " + label + " twice");
          pos = l.end();
          if (pos < rest.length()) {
            if (rest.charAt(pos) != ',') {
              problems.add(at + "labels not separated by a comma");
              break;
            }
            pos++;
          }
        }
      }
      double value;
      try {
        value = parseValue(m.group(4));
      } catch (NumberFormatException e) {
        problems.add(at + "bad value " + m.group(4));
        continue;
      }
      String family = familyOf(name, families);
      if (family == null) {
        problems.add(at + "sample without HELP and TYPE");
        continue;
      }
      Family f = families.get(family);
      if (f.help == null) problems.add(at + "no HELP for " + family);
      if (f.type == null) {
        problems.add(at + "no TYPE for " + family);
        continue;
      }
      if (!family.equals(current)) problems.add(at + "sample of " + family + " outside its family's block");
      f.sampled = true;
      if (!series.add(name + labels)) problems.add(at + "duplicate series");
      switch (f.type) {
        case "counter" -> {
          if (!name.equals(family) || !name.endsWith("_total")) problems.add(at + "a counter's sample must be named <family>, ending in _total");
          if (value < 0 || Double.isNaN(value)) problems.add(at + "negative or NaN counter");
        }
        case "gauge", "untyped" -> {
          if (!name.equals(family)) problems.add(at + "sample name differs from its family");
        }
        case "histogram" -> {
          Map<String, String> rest = new TreeMap<>(labels);
          String le = rest.remove("le");
          String key = rest.toString();
          if (name.equals(family + "_bucket")) {
            if (le == null) {
              problems.add(at + "bucket without le");
              continue;
            }
            double bound;
            try {
              bound = parseValue(le);
            } catch (NumberFormatException e) {
              problems.add(at + "bad le " + le);
              continue;
            }
            TreeMap<Double, Double> b = f.buckets.computeIfAbsent(key, k -> new TreeMap<>());
            if (!b.isEmpty() && b.lastKey() >= bound) problems.add(at + "le not increasing");
            if (!b.isEmpty() && b.lastEntry().getValue() > value) problems.add(at + "bucket counts decrease");
            b.put(bound, value);
          } else if (name.equals(family + "_count")) {
            f.counts.put(key, value);
          } else if (name.equals(family + "_sum")) {
            f.sums.add(key);
          } else {
            problems.add(at + "histogram sample neither _bucket, _sum nor _count");
          }
        }
        case "summary" -> {
          if (!name.equals(family) && !name.equals(family + "_sum") && !name.equals(family + "_count")) {
            problems.add(at + "summary sample neither quantile, _sum nor _count");
          }
        }
        default -> {}
      }
    }
    for (Map.Entry<String, Family> e : families.entrySet()) {
      Family f = e.getValue();
      if (f.help == null || f.type == null) problems.add(e.getKey() + ": HELP or TYPE missing");
      if (!"histogram".equals(f.type)) continue;
      if (f.buckets.isEmpty()) problems.add(e.getKey() + ": histogram without buckets");
      for (Map.Entry<String, TreeMap<Double, Double>> b : f.buckets.entrySet()) {
        Double inf = b.getValue().get(Double.POSITIVE_INFINITY);
        if (inf == null) problems.add(e.getKey() + b.getKey() + ": no le=\"+Inf\" bucket");
        Double count = f.counts.get(b.getKey());
        if (count == null) problems.add(e.getKey() + b.getKey() + ": no _count");
        else if (inf != null && !inf.equals(count)) problems.add(e.getKey() + b.getKey() + ": +Inf bucket != _count");
        if (!f.sums.contains(b.getKey())) problems.add(e.getKey() + b.getKey() + ": no _sum");
      }
    }
    return problems;
  }

  /** The family a sample belongs to: its own name, or the name without a histogram/summary suffix. */
  private static String familyOf(String name, Map<String, Family> families) {
    if (families.containsKey(name) && families.get(name).type != null) return name;
    for (String suffix : List.of("_bucket", "_sum", "_count")) {
      if (name.endsWith(suffix)) {
        String base = name.substring(0, name.length() - suffix.length());
        Family f = families.get(base);
        if (f != null && ("histogram".equals(f.type) || "summary".equals(f.type))) return base;
      }
    }
    return families.containsKey(name) ? name : null;
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> {
        if (!NUMBER.matcher(s).matches()) throw new NumberFormatException(s);
        yield Double.parseDouble(s);
      }
    };
  }
}
