package voidphone.gossip.core.membership;

import java.util.function.Consumer;
import voidphone.gossip.core.Checks;

/**
 * The knobs of the HyParView membership protocol. Immutable; {@link #withDegree(int)} is the
 * production profile for a node configured with {@code degree} neighbours, {@link #with} changes
 * knobs by name. Figures from the HyParView paper (Leitao, Pereira, Rodrigues, DSN 2007) unless a
 * parameter says otherwise.
 *
 * @param activeCapacity the active view: peers this node keeps open links with and gossips to. It
 *     is the config's {@code degree}. Default 30
 * @param passiveCapacity the passive view: an address book of peers to replace failed neighbours
 *     with, refreshed by shuffles. Default 6 x active (the paper's k = 6)
 * @param activeWalkLength ARWL: how many hops a FORWARD_JOIN travels before its last node asks the
 *     joiner to become its neighbour. Default 6
 * @param passiveWalkLength PRWL: the FORWARD_JOIN hop (counted as the remaining time to live) at
 *     which the joiner is also put into the passive view. Default 3
 * @param shuffleWalkLength how many hops a SHUFFLE travels before its last node answers. Default 6
 * @param shuffleActiveCount ka: active peers a SHUFFLE carries. Default 3
 * @param shufflePassiveCount kp: passive peers a SHUFFLE carries. Default 4
 * @param shuffleIntervalMillis how often a node starts a shuffle; each period is drawn uniformly
 *     within +-10% of it so that nodes do not fall into step. Default 10000
 * @param neighborRequestTimeoutMillis how long a NEIGHBOR request may go unanswered (this covers
 *     the dial, the TLS handshake and a round trip) before the peer counts as failed and is dropped
 *     from the passive view. Default 3000
 * @param joinRetryMillis first wait before a node whose active view is empty sends its JOIN
 *     again; doubles after each attempt up to 60 s. Default 2000
 * @param maxPeersPerSubnet anti-eclipse bound: at most this many entries of the active view, and
 *     of the passive view, may share an address group (an IPv4 /24, an IPv6 /64, or one host
 *     name) as advertised, and at most this many neighbours may have links that come from one
 *     address group ({@link MembershipIo#observedHost}). Loopback addresses are never counted, so
 *     a testnet on one machine works. 0 disables the bound. Default 4
 * @param refillParallelism most NEIGHBOR requests sent at once to refill the active view from the
 *     passive view. Default 4
 * @param joinsPerSecond JOINs this node serves per second on average (bursts of twice that);
 *     each costs a FORWARD_JOIN to every neighbour, so a flood of JOINs is refused, not
 *     amplified. Default 20
 * @param mergeProbeMinMillis the first wait between two merge probes (see {@code
 *     docs/protocol/membership.md}, "Merging"): after a start, after a neighbour's link failed, and
 *     for as long as peers that could not be reached are remembered. Default 5000
 * @param mergeProbeMaxMillis the longest wait between two merge probes: the wait doubles after
 *     each probe while nothing fails, up to this. It sets the steady-state cost (one probe per node
 *     per period). Default 300000 (5 min)
 * @param unreachableCapacity peers that could not be reached (a failed dial, an unanswered
 *     request, a neighbour whose link broke and who could not be reached again) remembered for
 *     merge probes, apart from the passive view; the oldest goes first. Default 32
 * @param unreachableRetentionMillis how long such a peer is remembered (and tried again) after it
 *     was last found unreachable. Default 600000 (10 min)
 */
public record MembershipConfig(
    int activeCapacity,
    int passiveCapacity,
    int activeWalkLength,
    int passiveWalkLength,
    int shuffleWalkLength,
    int shuffleActiveCount,
    int shufflePassiveCount,
    long shuffleIntervalMillis,
    long neighborRequestTimeoutMillis,
    long joinRetryMillis,
    int maxPeersPerSubnet,
    int refillParallelism,
    int joinsPerSecond,
    long mergeProbeMinMillis,
    long mergeProbeMaxMillis,
    int unreachableCapacity,
    long unreachableRetentionMillis) {

  public static final int DEFAULT_DEGREE = 30;
  public static final int PASSIVE_FACTOR = 6;
  public static final int DEFAULT_ACTIVE_WALK_LENGTH = 6;
  public static final int DEFAULT_PASSIVE_WALK_LENGTH = 3;
  public static final int DEFAULT_SHUFFLE_WALK_LENGTH = 6;
  public static final int DEFAULT_SHUFFLE_ACTIVE_COUNT = 3;
  public static final int DEFAULT_SHUFFLE_PASSIVE_COUNT = 4;
  public static final long DEFAULT_SHUFFLE_INTERVAL_MILLIS = 10_000;
  public static final long DEFAULT_NEIGHBOR_REQUEST_TIMEOUT_MILLIS = 3_000;
  public static final long DEFAULT_JOIN_RETRY_MILLIS = 2_000;
  public static final long MAX_JOIN_RETRY_MILLIS = 60_000;
  public static final int DEFAULT_MAX_PEERS_PER_SUBNET = 4;
  public static final int DEFAULT_REFILL_PARALLELISM = 4;
  public static final int DEFAULT_JOINS_PER_SECOND = 20;
  public static final long DEFAULT_MERGE_PROBE_MIN_MILLIS = 5_000;
  public static final long DEFAULT_MERGE_PROBE_MAX_MILLIS = 300_000;
  public static final int DEFAULT_UNREACHABLE_CAPACITY = 32;
  public static final long DEFAULT_UNREACHABLE_RETENTION_MILLIS = 600_000;
  /** Largest active view accepted; keeps per-node state and FORWARD_JOIN fan-out bounded. */
  public static final int MAX_ACTIVE_CAPACITY = 1024;
  /** Largest passive view accepted. */
  public static final int MAX_PASSIVE_CAPACITY = 16 * 1024;

  public MembershipConfig {
    Checks.requireRange("activeCapacity", activeCapacity, 1, MAX_ACTIVE_CAPACITY);
    Checks.requireRange("passiveCapacity", passiveCapacity, 1, MAX_PASSIVE_CAPACITY);
    Checks.requireRange("activeWalkLength", activeWalkLength, 0, MembershipMessage.MAX_TTL);
    Checks.requireRange("passiveWalkLength", passiveWalkLength, 0, activeWalkLength);
    Checks.requireRange("shuffleWalkLength", shuffleWalkLength, 0, MembershipMessage.MAX_TTL);
    Checks.requireRange("shuffleActiveCount", shuffleActiveCount, 0, MembershipMessage.MAX_ENTRIES);
    Checks.requireRange("shufflePassiveCount", shufflePassiveCount, 0, MembershipMessage.MAX_ENTRIES);
    if (1 + shuffleActiveCount + shufflePassiveCount > MembershipMessage.MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "a shuffle carries the sender plus ka + kp entries, at most "
              + MembershipMessage.MAX_ENTRIES);
    }
    Checks.requirePositive("shuffleIntervalMillis", shuffleIntervalMillis);
    Checks.requirePositive("neighborRequestTimeoutMillis", neighborRequestTimeoutMillis);
    Checks.requirePositive("joinRetryMillis", joinRetryMillis);
    Checks.requireRange("maxPeersPerSubnet", maxPeersPerSubnet, 0, Integer.MAX_VALUE);
    Checks.requireRange("refillParallelism", refillParallelism, 1, MAX_ACTIVE_CAPACITY);
    Checks.requireRange("joinsPerSecond", joinsPerSecond, 1, 1_000_000);
    Checks.requirePositive("mergeProbeMinMillis", mergeProbeMinMillis);
    if (mergeProbeMaxMillis < mergeProbeMinMillis) {
      throw new IllegalArgumentException("mergeProbeMaxMillis = " + mergeProbeMaxMillis
          + " is below mergeProbeMinMillis = " + mergeProbeMinMillis);
    }
    Checks.requireRange("unreachableCapacity", unreachableCapacity, 0, MAX_PASSIVE_CAPACITY);
    Checks.requirePositive("unreachableRetentionMillis", unreachableRetentionMillis);
  }

  /**
   * The production profile for a node with {@code degree} neighbours (the spec's {@code degree}
   * key): every other knob at its default.
   */
  public static MembershipConfig withDegree(int degree) {
    Builder b = new Builder();
    b.activeCapacity = degree;
    b.passiveCapacity = PASSIVE_FACTOR * degree;
    return b.build();
  }

  /** The production profile with {@code degree} = 30. */
  public static MembershipConfig defaults() {
    return withDegree(DEFAULT_DEGREE);
  }

  /**
   * A copy with the changes {@code change} makes to the knobs, by name, e.g. {@code
   * config.with(k -> k.shuffleIntervalMillis = 1_000)}; checked like any config.
   */
  public MembershipConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  public MembershipConfig withPassiveCapacity(int value) {
    return with(k -> k.passiveCapacity = value);
  }

  public MembershipConfig withMaxPeersPerSubnet(int value) {
    return with(k -> k.maxPeersPerSubnet = value);
  }

  public MembershipConfig withShuffleCounts(int active, int passive) {
    return with(k -> {
      k.shuffleActiveCount = active;
      k.shufflePassiveCount = passive;
    });
  }

  public MembershipConfig withJoinsPerSecond(int value) {
    return with(k -> k.joinsPerSecond = value);
  }

  /** The same with merge probes every {@code minMillis}, doubling up to {@code maxMillis}. */
  public MembershipConfig withMergeProbes(long minMillis, long maxMillis) {
    return with(k -> {
      k.mergeProbeMinMillis = minMillis;
      k.mergeProbeMaxMillis = maxMillis;
    });
  }

  /**
   * The same without merge probes, as the paper's HyParView (the first probe would be due after
   * millions of years). For the baseline of a comparison only: such an overlay may stay split.
   */
  public MembershipConfig withoutMergeProbes() {
    return withMergeProbes(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
  }

  /** The knobs by name, each at its default (degree 30); {@link #build()} makes the record. */
  public static final class Builder {
    public int activeCapacity = DEFAULT_DEGREE;
    public int passiveCapacity = PASSIVE_FACTOR * DEFAULT_DEGREE;
    public int activeWalkLength = DEFAULT_ACTIVE_WALK_LENGTH;
    public int passiveWalkLength = DEFAULT_PASSIVE_WALK_LENGTH;
    public int shuffleWalkLength = DEFAULT_SHUFFLE_WALK_LENGTH;
    public int shuffleActiveCount = DEFAULT_SHUFFLE_ACTIVE_COUNT;
    public int shufflePassiveCount = DEFAULT_SHUFFLE_PASSIVE_COUNT;
    public long shuffleIntervalMillis = DEFAULT_SHUFFLE_INTERVAL_MILLIS;
    public long neighborRequestTimeoutMillis = DEFAULT_NEIGHBOR_REQUEST_TIMEOUT_MILLIS;
    public long joinRetryMillis = DEFAULT_JOIN_RETRY_MILLIS;
    public int maxPeersPerSubnet = DEFAULT_MAX_PEERS_PER_SUBNET;
    public int refillParallelism = DEFAULT_REFILL_PARALLELISM;
    public int joinsPerSecond = DEFAULT_JOINS_PER_SECOND;
    public long mergeProbeMinMillis = DEFAULT_MERGE_PROBE_MIN_MILLIS;
    public long mergeProbeMaxMillis = DEFAULT_MERGE_PROBE_MAX_MILLIS;
    public int unreachableCapacity = DEFAULT_UNREACHABLE_CAPACITY;
    public long unreachableRetentionMillis = DEFAULT_UNREACHABLE_RETENTION_MILLIS;

    public Builder() {}

    Builder(MembershipConfig c) {
      activeCapacity = c.activeCapacity;
      passiveCapacity = c.passiveCapacity;
      activeWalkLength = c.activeWalkLength;
      passiveWalkLength = c.passiveWalkLength;
      shuffleWalkLength = c.shuffleWalkLength;
      shuffleActiveCount = c.shuffleActiveCount;
      shufflePassiveCount = c.shufflePassiveCount;
      shuffleIntervalMillis = c.shuffleIntervalMillis;
      neighborRequestTimeoutMillis = c.neighborRequestTimeoutMillis;
      joinRetryMillis = c.joinRetryMillis;
      maxPeersPerSubnet = c.maxPeersPerSubnet;
      refillParallelism = c.refillParallelism;
      joinsPerSecond = c.joinsPerSecond;
      mergeProbeMinMillis = c.mergeProbeMinMillis;
      mergeProbeMaxMillis = c.mergeProbeMaxMillis;
      unreachableCapacity = c.unreachableCapacity;
      unreachableRetentionMillis = c.unreachableRetentionMillis;
    }

    public MembershipConfig build() {
      return new MembershipConfig(activeCapacity, passiveCapacity, activeWalkLength, passiveWalkLength,
          shuffleWalkLength, shuffleActiveCount, shufflePassiveCount, shuffleIntervalMillis,
          neighborRequestTimeoutMillis, joinRetryMillis, maxPeersPerSubnet, refillParallelism, joinsPerSecond,
          mergeProbeMinMillis, mergeProbeMaxMillis, unreachableCapacity, unreachableRetentionMillis);
    }
  }

  /**
   * Most entries this node takes from one SHUFFLE or SHUFFLE_REPLY, the rest ignored: as many as
   * its own SHUFFLE carries (itself, ka neighbours, kp passive peers).
   */
  public int maxEntriesAccepted() {
    return 1 + shuffleActiveCount + shufflePassiveCount;
  }

  /**
   * SHUFFLEs taken from one neighbour, on average, per shuffle period; more are dropped unanswered.
   * A neighbour passes us its own walk and those it relays: shuffleWalkLength relays per node and
   * period spread over its neighbours, well under one per link on average, so four (with twice that
   * saved up) drop an honest walk rarely, and a flooder's walks, each of which costs us a reply and
   * a link to its origin, at four.
   */
  static final int SHUFFLES_PER_NEIGHBOR_PER_PERIOD = 4;

  double shufflesPerNeighborPerSecond() {
    return SHUFFLES_PER_NEIGHBOR_PER_PERIOD * 1000.0 / shuffleIntervalMillis;
  }
}
