package voidphone.gossip.sim;

import java.util.Locale;

/**
 * Honest nodes that stop now and then: a share of the nodes handles nothing for {@code pauseMillis}
 * out of every {@code periodMillis} (each at its own phase), then everything that arrived
 * meanwhile, in order. What a node on an overloaded host, a saturated event loop or a long GC pause
 * looks like to its peers: slow, not hostile. The defences must tell the two apart: a stalled node
 * must never be penalised for the answers it sends late.
 *
 * @param share fraction of the nodes that stall, in [0, 1]; which ones follows from the seed
 * @param pauseMillis how long each stall lasts
 * @param periodMillis how often a stalling node stalls
 */
public record Stalls(double share, int pauseMillis, int periodMillis) {
  public static final Stalls NONE = new Stalls(0, 0, 1);

  public Stalls {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("stalling share " + share + " is outside [0, 1]");
    }
    if (periodMillis < 1 || pauseMillis < 0 || pauseMillis >= periodMillis) {
      throw new IllegalArgumentException(
          "a stall of " + pauseMillis + " ms every " + periodMillis + " ms: the pause must be shorter than the period");
    }
  }

  /** {@code SHARE:PAUSE_MS:PERIOD_MS}, as the command line takes it. */
  public static Stalls parse(String text) {
    String[] parts = text.split(":");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--stalls takes SHARE:PAUSE_MS:PERIOD_MS, got '" + text + "'");
    }
    try {
      return new Stalls(Double.parseDouble(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--stalls takes SHARE:PAUSE_MS:PERIOD_MS, got '" + text + "'");
    }
  }

  /** One line for a report's header. */
  String describe() {
    return String.format(Locale.ROOT, "stalls: %.1f %% of the honest nodes handle nothing for %d ms of every %d ms",
        100 * share, pauseMillis, periodMillis);
  }

  boolean any() {
    return share > 0 && pauseMillis > 0;
  }
}
