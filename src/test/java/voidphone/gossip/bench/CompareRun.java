package voidphone.gossip.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the Java rows of {@code ./bench compare} share: their options, as the GossipSub harness
 * takes them ({@code --config default|tuned --nodes N --items N --warmup N --size N --rate R --seed S};
 * rate 0 is the sequential mode), and the {@link CompareResult} a run prints as its one stdout line.
 * Progress goes to stderr.
 */
final class CompareRun {
  private CompareRun() {}

  record Options(String config, int nodes, int items, int warmup, int size, int rate, long seed) {
    int total() {
      return warmup + items;
    }

    String mode() {
      return rate == 0 ? "sequential" : "rate";
    }

    /** Parses the options; on a bad one prints why and the usage to stderr and exits with 2. */
    static Options parseOrExit(String system, List<String> configs, String[] args) {
      try {
        return parse(configs, args);
      } catch (IllegalArgumentException e) {
        System.err.println("bench compare " + system + ": " + e.getMessage() + "; options: --config "
            + String.join("|", configs) + " --nodes N --items N --warmup N --size N --rate N --seed N");
        System.exit(2);
        return null;
      }
    }

    static Options parse(List<String> configs, String[] args) {
      String config = configs.get(0);
      int nodes = 50, items = 300, warmup = 50, size = 100, rate = 0;
      long seed = 1;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 >= args.length) throw new IllegalArgumentException("missing value after " + args[i]);
        String v = args[i + 1];
        try {
          switch (args[i]) {
            case "--config" -> config = v;
            case "--nodes" -> nodes = Integer.parseInt(v);
            case "--items" -> items = Integer.parseInt(v);
            case "--warmup" -> warmup = Integer.parseInt(v);
            case "--size" -> size = Integer.parseInt(v);
            case "--rate" -> rate = Integer.parseInt(v);
            case "--seed" -> seed = Long.parseLong(v);
            default -> throw new IllegalArgumentException("unknown option " + args[i]);
          }
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(args[i] + " needs a whole number, not '" + v + "'");
        }
      }
      if (!configs.contains(config)) throw new IllegalArgumentException("--config is one of " + configs);
      if (nodes < 2 || items < 1 || warmup < 0 || size < 4 || rate < 0) {
        throw new IllegalArgumentException("need nodes >= 2, items >= 1, warmup >= 0, size >= 4 (the item number"
            + " is its first 4 bytes), rate >= 0");
      }
      return new Options(config, nodes, items, warmup, size, rate, seed);
    }
  }

  /** The figures of one measured phase, as the result line carries them. */
  static CompareResult result(String system, String why, Options o, ItemTracker tracker, double copies, long bytes,
      long cpuNanos, long wallNanos, Map<String, Object> extra) {
    Histogram all = tracker.allReached;
    int lost = tracker.lost(o.warmup(), o.total(), TimeUnit.SECONDS.toNanos(ItemLoop.ITEM_PATIENCE_SECONDS));
    double nodeItems = (double) o.nodes() * o.items();
    Map<String, Object> more = new LinkedHashMap<>();
    more.put("all_max_ms", all.getTotalCount() == 0 ? null : round(all.getMaxValue() / 1e6, 2));
    more.put("each_p50_ms", percentileMs(tracker.eachDelivery, 50));
    more.put("each_p99_ms", percentileMs(tracker.eachDelivery, 99));
    more.put("size", o.size());
    more.put("warmup", o.warmup());
    more.put("seed", o.seed());
    more.put("load_average_end", Machine.loadAverage());
    more.putAll(extra);
    return new CompareResult(system, o.config(), why, o.nodes(), o.items(), o.mode(), o.rate(),
        nanOrMs(all, 50), nanOrMs(all, 99), lost, round(copies / nodeItems, 3), round(bytes / nodeItems, 1),
        round(cpuNanos / 1e6 / o.items(), 2), round(wallNanos / 1e9, 3), more);
  }

  private static Object percentileMs(Histogram h, double p) {
    double v = nanOrMs(h, p);
    return Double.isNaN(v) ? null : v;
  }

  private static double nanOrMs(Histogram h, double p) {
    return h.getTotalCount() == 0 ? Double.NaN : round(h.getValueAtPercentile(p) / 1e6, 2);
  }

  static double round(double v, int digits) {
    double scale = Math.pow(10, digits);
    return Math.round(v * scale) / scale;
  }
}
