package voidphone.gossip.sim;

/**
 * A membership experiment: nodes join one after another, the overlay settles, then a share of the
 * nodes crashes at once and the survivors heal.
 *
 * @param sim the network and the protocol configuration
 * @param nodes how many nodes join (node 0 starts the overlay, node i joins at i x interval
 *     through a random earlier node)
 * @param joinIntervalMillis virtual time between two joins
 * @param settleMillis virtual time after the last join before the overlay is measured
 * @param crashFraction share of the live nodes that crash at once after settling; 0 for none
 * @param healLimitMillis how long the survivors are watched for healing at most
 * @param probeIntervalMillis how often the overlay is measured while it heals: the resolution of
 *     the heal times
 */
public record ScenarioSpec(
    SimConfig sim,
    int nodes,
    long joinIntervalMillis,
    long settleMillis,
    double crashFraction,
    long healLimitMillis,
    long probeIntervalMillis) {

  public ScenarioSpec {
    if (nodes < 1) {
      throw new IllegalArgumentException("at least one node");
    }
    if (!(crashFraction >= 0 && crashFraction < 1)) {
      throw new IllegalArgumentException("crash fraction " + crashFraction + " is outside [0, 1)");
    }
    if (joinIntervalMillis < 0 || settleMillis < 0 || healLimitMillis < 0 || probeIntervalMillis <= 0) {
      throw new IllegalArgumentException("durations must not be negative, the probe interval positive");
    }
  }
}
