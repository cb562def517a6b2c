package voidphone.gossip.core.broadcast;

import java.util.function.Consumer;
import voidphone.gossip.core.Checks;

/**
 * Tuning of the Plumtree core. Every field has a default ({@link #defaults()}); the timers are the
 * ones iroh-gossip ships with, the bounds are chosen so that no peer can make one node hold more
 * than a few megabytes of broadcast state. {@code docs/protocol/broadcast.md} explains each choice.
 *
 * @param cacheSize {@code cache_size}: validated payloads kept to answer GRAFTs, oldest evicted
 *     first. Default 50 (the spec's default)
 * @param seenCapacity item ids remembered so that a duplicate, an evicted or a rejected item is
 *     never processed again; oldest forgotten first. Default 100,000 (about 3 MB when full)
 * @param graftTimeoutMillis how long an item announced by IHAVE may stay missing before we GRAFT it
 *     from its first announcer, at least: the core learns how late eager copies arrive after their
 *     first IHAVE and waits longer when they are late ({@code GraftTimeout}), so that a slow tree
 *     path is not mistaken for a broken one. Default 80 ms
 * @param graftTimeoutMaxMillis the most the learned GRAFT timeout may grow to: the longest a broken
 *     tree link may delay an item before it is repaired. Equal to {@code graftTimeoutMillis} for a
 *     fixed timeout. Default 1,000 ms
 * @param graftRetryMillis after a GRAFT, how long before we try the next announcer. About one
 *     round trip. Default 40 ms
 * @param ihaveFlushMillis how long announcements wait to be batched into one IHAVE. Each IHAVE is a
 *     frame on a lazy link, so batching is what keeps Plumtree cheaper than flooding in frames; it
 *     delays only repairs. Default 150 ms (measured in {@code docs/BENCHMARKS.md}, network)
 * @param ihaveMaxIds most ids in one IHAVE we send. Default 256
 * @param ihaveMaxMessagesPerFlush most IHAVE messages to one peer per flush; bounds the control
 *     traffic a burst of items causes (256 x 4 per turn). Default 4
 * @param lazyQueueMaxIds most announcements logged and not yet sent to every lazy peer; past it
 *     the oldest is dropped (lazy peers may then miss a repair path, never an item they get
 *     eagerly). Default 4096
 * @param ihaveFanoutMin with {@code ihaveFanoutPercent}: how many lazy peers each flush serves,
 *     those least recently served, each with everything logged since its last turn: this
 *     percentage of the lazy peers, but at least this many (all of them if there are fewer). Every
 *     lazy peer still hears of every item, as in the paper, but at degree 30 a flush sends 8 IHAVE
 *     frames instead of 29 ({@code docs/protocol/broadcast.md}, section 8). Default 6
 * @param ihaveFanoutPercent see {@code ihaveFanoutMin}; 100 serves every lazy peer at every
 *     flush, as in the paper. Default 25
 * @param maxAnnouncersPerItem most peers remembered as holding one missing item. Default 8
 * @param maxMissingItems most announced-but-missing items tracked at once. Default 10,000
 * @param maxPendingValidations most received items waiting for the local verdict; an item beyond
 *     it is dropped unseen, so it can still arrive again later. Default 1024
 * @param maxUnjudgedPerPeer most items of one sender waiting for the local verdict at once; its
 *     further items are held back, unseen, until a verdict opens its window (at most {@code
 *     maxPendingValidations} / neighbours of them; beyond that they are dropped unseen). Bounds how
 *     many items of an invalid-item flood the local modules judge before the ban: this many plus
 *     three. Default 6
 * @param pruneAfterDuplicates how many duplicates in a row an eager peer may push to us, with no
 *     new item in between, before we PRUNE it. Default 1, the paper's rule; the sample below is what
 *     keeps it from tearing the tree apart when many items are in flight
 * @param pruneSampleWindowMillis when items come faster than one per this window, only a sample of
 *     them, about one per window and the same at every node (chosen by id), may PRUNE; 0 lets every
 *     item prune. Should exceed the time an item takes to cross the network. Default 1,000 ms
 *     ({@code PruneSampler} and {@code docs/protocol/broadcast.md} explain and measure it)
 * @param optimizationThreshold hop difference from which an announcer with a shorter path replaces
 *     the eager peer an item came from (paper section 3.8); 0 disables. Default 0 (off: with many
 *     senders it rewires the shared tree for one sender at the cost of others; measured in the doc)
 * @param minCacheRetentionMillis local announcements wait while the payload cache keeps items for
 *     less than this: every node sees about the same stream of items, so a short retention here
 *     means GRAFTs everywhere find items evicted. It caps the network's item rate at about {@code
 *     cacheSize} per this window (200 items/s with the defaults), and a burst beyond it waits in
 *     its sender's socket instead of being lost to repairs that come too late; local items are
 *     paced at that rate over the whole stream, so that each waits its share; 0 disables. Default
 *     250 ms, enough for an IHAVE, a GRAFT and one retry on a loaded machine
 * @param graftAnswersPerSecond GRAFTed ids answered with a payload per neighbour and second, with
 *     bursts of twice that; an id is answered to a given neighbour once. An honest peer GRAFTs what
 *     it missed, at most the network's item rate (200 items/s with the defaults, see {@code
 *     minCacheRetentionMillis}) and the cache at a new link's catch-up; a GRAFT flood gets no more
 *     than this many payloads. Default 128
 * @param announcedIdsPerSecond ids per neighbour and second that we do not have and track as
 *     missing from its IHAVEs, with bursts of twice that; the rest of an IHAVE is ignored. Each
 *     tracked id may cost a GRAFT, so this bounds the GRAFTs an IHAVE flood draws. Default 1024
 * @param flood baseline for comparison only: push every item to every neighbour, never prune, no
 *     lazy links. Default false
 */
public record BroadcastConfig(
    int cacheSize,
    int seenCapacity,
    long graftTimeoutMillis,
    long graftTimeoutMaxMillis,
    long graftRetryMillis,
    long ihaveFlushMillis,
    int ihaveMaxIds,
    int ihaveMaxMessagesPerFlush,
    int lazyQueueMaxIds,
    int ihaveFanoutMin,
    int ihaveFanoutPercent,
    int maxAnnouncersPerItem,
    int maxMissingItems,
    int maxPendingValidations,
    int maxUnjudgedPerPeer,
    int pruneAfterDuplicates,
    long pruneSampleWindowMillis,
    int optimizationThreshold,
    long minCacheRetentionMillis,
    int graftAnswersPerSecond,
    int announcedIdsPerSecond,
    boolean flood) {

  public static final int DEFAULT_CACHE_SIZE = 50;
  /** Largest {@code cache_size} accepted. */
  public static final int MAX_CACHE_SIZE = 1_000_000;
  public static final int DEFAULT_SEEN_CAPACITY = 100_000;
  public static final long DEFAULT_GRAFT_TIMEOUT_MILLIS = 80;
  public static final long DEFAULT_GRAFT_TIMEOUT_MAX_MILLIS = 1000;
  public static final long DEFAULT_GRAFT_RETRY_MILLIS = 40;
  public static final long DEFAULT_IHAVE_FLUSH_MILLIS = 150;
  public static final int DEFAULT_IHAVE_MAX_IDS = 256;
  public static final int DEFAULT_IHAVE_MAX_MESSAGES_PER_FLUSH = 4;
  public static final int DEFAULT_LAZY_QUEUE_MAX_IDS = 4096;
  public static final int DEFAULT_IHAVE_FANOUT_MIN = 6;
  public static final int DEFAULT_IHAVE_FANOUT_PERCENT = 25;
  public static final int DEFAULT_MAX_ANNOUNCERS_PER_ITEM = 8;
  public static final int DEFAULT_MAX_MISSING_ITEMS = 10_000;
  public static final int DEFAULT_MAX_PENDING_VALIDATIONS = 1024;
  public static final int DEFAULT_MAX_UNJUDGED_PER_PEER = 6;
  public static final int DEFAULT_PRUNE_AFTER_DUPLICATES = 1;
  public static final long DEFAULT_PRUNE_SAMPLE_WINDOW_MILLIS = 1000;
  public static final int DEFAULT_OPTIMIZATION_THRESHOLD = 0;
  public static final long DEFAULT_MIN_CACHE_RETENTION_MILLIS = 250;
  public static final int DEFAULT_GRAFT_ANSWERS_PER_SECOND = 128;
  public static final int DEFAULT_ANNOUNCED_IDS_PER_SECOND = 1024;

  public BroadcastConfig {
    Checks.requireRange("cache size", cacheSize, 1, MAX_CACHE_SIZE);
    Checks.requireRange("seen capacity", seenCapacity, 1, 100_000_000);
    Checks.requireRange("graft timeout ms", graftTimeoutMillis, 1, 60_000);
    Checks.requireRange("graft timeout max ms", graftTimeoutMaxMillis, graftTimeoutMillis, 60_000);
    Checks.requireRange("graft retry ms", graftRetryMillis, 1, 60_000);
    Checks.requireRange("IHAVE flush ms", ihaveFlushMillis, 1, 60_000);
    Checks.requireRange("IHAVE max ids", ihaveMaxIds, 1, BroadcastMessage.MAX_IHAVE_ENTRIES);
    Checks.requireRange("IHAVE messages per flush", ihaveMaxMessagesPerFlush, 1, 1_000);
    Checks.requireRange("lazy queue ids", lazyQueueMaxIds, 1, 1_000_000);
    Checks.requireRange("IHAVE fanout min", ihaveFanoutMin, 1, 1_000);
    Checks.requireRange("IHAVE fanout percent", ihaveFanoutPercent, 1, 100);
    Checks.requireRange("announcers per item", maxAnnouncersPerItem, 1, 1_000);
    Checks.requireRange("missing items", maxMissingItems, 1, 10_000_000);
    Checks.requireRange("pending validations", maxPendingValidations, 1, 1_000_000);
    Checks.requireRange("unjudged items per peer", maxUnjudgedPerPeer, 1, 1_000_000);
    Checks.requireRange("prune after duplicates", pruneAfterDuplicates, 1, 1_000);
    Checks.requireRange("prune sample window ms", pruneSampleWindowMillis, 0, 3_600_000);
    Checks.requireRange("optimisation threshold", optimizationThreshold, 0, BroadcastMessage.MAX_HOPS);
    Checks.requireRange("min cache retention ms", minCacheRetentionMillis, 0, 60_000);
    Checks.requireRange("GRAFT answers per second", graftAnswersPerSecond, 1, 1_000_000);
    Checks.requireRange("announced ids per second", announcedIdsPerSecond, 1, 10_000_000);
  }

  /** How many of {@code lazyPeers} lazy peers one flush serves. */
  public int ihaveFanout(int lazyPeers) {
    int share = (lazyPeers * ihaveFanoutPercent + 99) / 100;
    return Math.min(lazyPeers, Math.max(ihaveFanoutMin, share));
  }

  public static BroadcastConfig defaults() {
    return new BroadcastConfig(
        DEFAULT_CACHE_SIZE,
        DEFAULT_SEEN_CAPACITY,
        DEFAULT_GRAFT_TIMEOUT_MILLIS,
        DEFAULT_GRAFT_TIMEOUT_MAX_MILLIS,
        DEFAULT_GRAFT_RETRY_MILLIS,
        DEFAULT_IHAVE_FLUSH_MILLIS,
        DEFAULT_IHAVE_MAX_IDS,
        DEFAULT_IHAVE_MAX_MESSAGES_PER_FLUSH,
        DEFAULT_LAZY_QUEUE_MAX_IDS,
        DEFAULT_IHAVE_FANOUT_MIN,
        DEFAULT_IHAVE_FANOUT_PERCENT,
        DEFAULT_MAX_ANNOUNCERS_PER_ITEM,
        DEFAULT_MAX_MISSING_ITEMS,
        DEFAULT_MAX_PENDING_VALIDATIONS,
        DEFAULT_MAX_UNJUDGED_PER_PEER,
        DEFAULT_PRUNE_AFTER_DUPLICATES,
        DEFAULT_PRUNE_SAMPLE_WINDOW_MILLIS,
        DEFAULT_OPTIMIZATION_THRESHOLD,
        DEFAULT_MIN_CACHE_RETENTION_MILLIS,
        DEFAULT_GRAFT_ANSWERS_PER_SECOND,
        DEFAULT_ANNOUNCED_IDS_PER_SECOND,
        false);
  }

  public BroadcastConfig withCacheSize(int v) {
    return with(b -> b.cacheSize = v);
  }

  public BroadcastConfig withSeenCapacity(int v) {
    return with(b -> b.seenCapacity = v);
  }

  /** A fixed GRAFT timeout of {@code firstMillis} (not learned), and the retry interval. */
  public BroadcastConfig withGraftTimeouts(long firstMillis, long retryMillis) {
    return with(b -> {
      b.graftTimeoutMillis = firstMillis;
      b.graftTimeoutMaxMillis = firstMillis;
      b.graftRetryMillis = retryMillis;
    });
  }

  /**
   * GRAFT waits learned between {@code minMillis} and {@code maxMillis}, the retry from {@code
   * retryMillis} up; {@code maxMillis == minMillis} fixes both (as {@link #withGraftTimeouts}).
   */
  public BroadcastConfig withGraftTimers(long minMillis, long maxMillis, long retryMillis) {
    return with(b -> {
      b.graftTimeoutMillis = minMillis;
      b.graftTimeoutMaxMillis = maxMillis;
      b.graftRetryMillis = retryMillis;
    });
  }

  public BroadcastConfig withIHaveBatching(long flushMillis, int maxIds, int maxMessagesPerFlush, int maxQueuedIds) {
    return with(b -> {
      b.ihaveFlushMillis = flushMillis;
      b.ihaveMaxIds = maxIds;
      b.ihaveMaxMessagesPerFlush = maxMessagesPerFlush;
      b.lazyQueueMaxIds = maxQueuedIds;
    });
  }

  /** Each flush serves {@code percent} % of the lazy peers, at least {@code min} of them. */
  public BroadcastConfig withIHaveFanout(int min, int percent) {
    return with(b -> {
      b.ihaveFanoutMin = min;
      b.ihaveFanoutPercent = percent;
    });
  }

  public BroadcastConfig withMissingBounds(int announcersPerItem, int missingItems) {
    return with(b -> {
      b.maxAnnouncersPerItem = announcersPerItem;
      b.maxMissingItems = missingItems;
    });
  }

  public BroadcastConfig withMaxPendingValidations(int v) {
    return with(b -> b.maxPendingValidations = v);
  }

  public BroadcastConfig withPruneAfterDuplicates(int v) {
    return with(b -> b.pruneAfterDuplicates = v);
  }

  public BroadcastConfig withPruneSampleWindow(long millis) {
    return with(b -> b.pruneSampleWindowMillis = millis);
  }

  public BroadcastConfig withOptimizationThreshold(int v) {
    return with(b -> b.optimizationThreshold = v);
  }

  public BroadcastConfig withMinCacheRetention(long millis) {
    return with(b -> b.minCacheRetentionMillis = millis);
  }

  public BroadcastConfig withFlood(boolean v) {
    return with(b -> b.flood = v);
  }

  /**
   * A copy with the changes {@code change} makes to the knobs, by name, e.g. {@code
   * config.with(k -> k.cacheSize = 200)}; checked like any config.
   */
  public BroadcastConfig with(Consumer<Builder> change) {
    Builder b = new Builder(this);
    change.accept(b);
    return b.build();
  }

  /** The knobs by name, for {@link #with}; {@link #build()} makes the record. */
  public static final class Builder {
    public int cacheSize;
    public int seenCapacity;
    public long graftTimeoutMillis;
    public long graftTimeoutMaxMillis;
    public long graftRetryMillis;
    public long ihaveFlushMillis;
    public int ihaveMaxIds;
    public int ihaveMaxMessagesPerFlush;
    public int lazyQueueMaxIds;
    public int ihaveFanoutMin;
    public int ihaveFanoutPercent;
    public int maxAnnouncersPerItem;
    public int maxMissingItems;
    public int maxPendingValidations;
    public int maxUnjudgedPerPeer;
    public int pruneAfterDuplicates;
    public long pruneSampleWindowMillis;
    public int optimizationThreshold;
    public long minCacheRetentionMillis;
    public int graftAnswersPerSecond;
    public int announcedIdsPerSecond;
    public boolean flood;

    Builder(BroadcastConfig c) {
      cacheSize = c.cacheSize;
      seenCapacity = c.seenCapacity;
      graftTimeoutMillis = c.graftTimeoutMillis;
      graftTimeoutMaxMillis = c.graftTimeoutMaxMillis;
      graftRetryMillis = c.graftRetryMillis;
      ihaveFlushMillis = c.ihaveFlushMillis;
      ihaveMaxIds = c.ihaveMaxIds;
      ihaveMaxMessagesPerFlush = c.ihaveMaxMessagesPerFlush;
      lazyQueueMaxIds = c.lazyQueueMaxIds;
      ihaveFanoutMin = c.ihaveFanoutMin;
      ihaveFanoutPercent = c.ihaveFanoutPercent;
      maxAnnouncersPerItem = c.maxAnnouncersPerItem;
      maxMissingItems = c.maxMissingItems;
      maxPendingValidations = c.maxPendingValidations;
      maxUnjudgedPerPeer = c.maxUnjudgedPerPeer;
      pruneAfterDuplicates = c.pruneAfterDuplicates;
      pruneSampleWindowMillis = c.pruneSampleWindowMillis;
      optimizationThreshold = c.optimizationThreshold;
      minCacheRetentionMillis = c.minCacheRetentionMillis;
      graftAnswersPerSecond = c.graftAnswersPerSecond;
      announcedIdsPerSecond = c.announcedIdsPerSecond;
      flood = c.flood;
    }

    public BroadcastConfig build() {
      return new BroadcastConfig(
          cacheSize,
          seenCapacity,
          graftTimeoutMillis,
          graftTimeoutMaxMillis,
          graftRetryMillis,
          ihaveFlushMillis,
          ihaveMaxIds,
          ihaveMaxMessagesPerFlush,
          lazyQueueMaxIds,
          ihaveFanoutMin,
          ihaveFanoutPercent,
          maxAnnouncersPerItem,
          maxMissingItems,
          maxPendingValidations,
          maxUnjudgedPerPeer,
          pruneAfterDuplicates,
          pruneSampleWindowMillis,
          optimizationThreshold,
          minCacheRetentionMillis,
          graftAnswersPerSecond,
          announcedIdsPerSecond,
          flood);
    }
  }
}
