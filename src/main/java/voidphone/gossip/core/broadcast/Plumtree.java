package voidphone.gossip.core.broadcast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.Checks;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Reputation;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;
import voidphone.gossip.core.broadcast.BroadcastTimer.AnnounceCached;
import voidphone.gossip.core.broadcast.BroadcastTimer.FlushAnnouncements;
import voidphone.gossip.core.broadcast.BroadcastTimer.RequestMissing;

/**
 * Plumtree (Leitão, Pereira, Rodrigues: "Epidemic Broadcast Trees", SRDS 2007) as a sans-IO state
 * machine: payloads travel eagerly along a spanning tree that forms itself (a duplicate PRUNEs the
 * link that brought it), the other links carry lazy IHAVE announcements, and an item announced but
 * not received within a timeout is GRAFTed, which also repairs the tree.
 *
 * <p>Inputs are the public methods; outputs go to the {@link BroadcastIo} given to the constructor.
 * It reads no clock (times are passed in), draws randomness only from the given generator, does no
 * I/O and is not thread-safe: one thread owns it. Neighbours come from the membership layer. The
 * state machine in prose, every timer and every bound: {@code docs/protocol/broadcast.md}.
 */
public final class Plumtree {
  private static final Logger log = LoggerFactory.getLogger(Plumtree.class);
  private static final Prune PRUNE = new Prune();
  private static final FlushAnnouncements FLUSH = new FlushAnnouncements();
  /** Enough to see the eager copies of a burst of GRAFTed items; about 100 KB at most. */
  private static final int GRAFTED_ITEMS_REMEMBERED = 1024;

  /** An item delivered locally and waiting for its verdict; {@code from} answers for it. */
  private record PendingItem(Gossip received, NodeId from) {}

  private final NodeId self;
  private final BroadcastConfig config;
  private final RandomGenerator random;
  private final BroadcastIo io;
  private final BroadcastStats stats = new BroadcastStats();

  // insertion-ordered, so that a run is reproducible from its seed
  private final PeerSet eager = new PeerSet();
  private final PeerSet lazy = new PeerSet();
  private final SeenRecord seen;
  private final PayloadCache cache;
  private final Map<ItemId, PendingItem> pending = new LinkedHashMap<>();
  private final SenderWindows windows;
  private final MissingItems missing;
  private final GraftTimeout graftTimeout;
  private final GraftTimeout graftRetry;
  private final PruneSampler pruneSampler;
  /** Bounded like the missing items it is fed from; see {@link GraftedItems}. */
  private final GraftedItems grafted;
  private final ItemRate itemRate;
  private final LazyAnnouncements lazyAnnouncements;
  /** Per neighbour: what its GRAFTs and IHAVEs may make us do. */
  private final Map<NodeId, PeerAllowance> allowances = new HashMap<>();
  /** Per eager peer: duplicates it pushed since it last brought a new item. Removed when it goes lazy. */
  private final Map<NodeId, Integer> duplicateStreaks = new HashMap<>();
  /**
   * When this node last sent a GRAFT: within a GRAFT round trip of it, it is repairing (graftWait).
   * Starts far enough in the past that {@code now - lastGraftSentAt} cannot overflow.
   */
  private long lastGraftSentAt = Long.MIN_VALUE / 2;
  private boolean flushScheduled;
  /** When the next local item may be admitted: {@link #admissionDelayMillis} paces them. */
  private long nextLocalAdmissionAt;
  /**
   * The stream's pace: when the items cached so far would all have entered had each, from any
   * origin, taken one admission interval ({@code minCacheRetentionMillis / cacheSize}); at most one
   * retention ahead of now. See {@link #admissionDelayMillis}.
   */
  private long streamPacedUntil;

  public Plumtree(NodeId self, BroadcastConfig config, RandomGenerator random, BroadcastIo io) {
    this.self = Objects.requireNonNull(self, "self");
    this.config = Objects.requireNonNull(config, "config");
    this.random = Objects.requireNonNull(random, "random");
    this.io = Objects.requireNonNull(io, "io");
    this.seen = new SeenRecord(config.seenCapacity(), random.nextLong());
    this.cache = new PayloadCache(config.cacheSize());
    this.windows = new SenderWindows(config.maxUnjudgedPerPeer());
    this.missing = new MissingItems(config.maxMissingItems(), config.maxAnnouncersPerItem());
    this.graftTimeout =
        new GraftTimeout(config.graftTimeoutMillis(), config.graftTimeoutMaxMillis(), 2);
    // a fixed first wait (max = min) means fixed timers: the retry is learned only alongside it
    boolean learning = config.graftTimeoutMaxMillis() > config.graftTimeoutMillis();
    long retryMax = learning
        ? Math.max(config.graftRetryMillis(), config.graftTimeoutMaxMillis())
        : config.graftRetryMillis();
    this.graftRetry = new GraftTimeout(config.graftRetryMillis(), retryMax, 1);
    this.pruneSampler = new PruneSampler(config.pruneSampleWindowMillis());
    this.itemRate = new ItemRate(config.cacheSize());
    this.grafted = new GraftedItems(Math.min(config.maxMissingItems(), GRAFTED_ITEMS_REMEMBERED));
    this.lazyAnnouncements = new LazyAnnouncements(config, stats);
  }

  // ---- inputs from membership -------------------------------------------------------------

  /**
   * A link to {@code peer} is up: it starts as an eager (tree) link, as in the paper. Items cached
   * before it came up were never pushed or announced to it, so it is told of them shortly (see
   * {@link #announceCached}).
   */
  public void neighborUp(NodeId peer) {
    if (peer.equals(self)) {
      return;
    }
    lazyAnnouncements.neighborUp(peer);
    allowances.computeIfAbsent(peer, p -> new PeerAllowance(config));
    if (lazy.remove(peer)) {
      lazyAnnouncements.becameEager(peer);
    }
    if (eager.add(peer) && !config.flood() && cache.size() > 0) {
      // about a round trip: the other end may learn of the link a moment after us, and until then
      // it ignores our control messages
      io.schedule(config.graftRetryMillis(), new AnnounceCached(peer));
    }
  }

  /** The link to {@code peer} is gone: forget it, what we queued for it, and what it announced. */
  public void neighborDown(NodeId peer) {
    eager.remove(peer);
    lazy.remove(peer);
    duplicateStreaks.remove(peer);
    allowances.remove(peer);
    windows.dropHeld(peer);
    lazyAnnouncements.neighborDown(peer);
    missing.forgetAnnouncer(peer);
  }

  // ---- input from the local API ------------------------------------------------------------

  /**
   * Spreads a locally announced item: {@code ttl} hops at most (0 = unlimited). Nothing is delivered
   * locally (the API layer notifies local subscribers itself). Returns the new item's id.
   *
   * @throws IllegalArgumentException if ttl, type or data size are outside the API's ranges
   */
  public ItemId broadcast(int ttl, int dataType, byte[] data, long nowMillis) {
    Checks.requireRange("ttl", ttl, 0, BroadcastMessage.MAX_TTL);
    Checks.requireRange("data type", dataType, 0, BroadcastMessage.MAX_DATA_TYPE);
    Checks.requireRange("data length", data.length, 1, BroadcastMessage.MAX_DATA);
    long nonce;
    ItemId id;
    do { // a repeated nonce is astronomically unlikely, but it would silently merge two items
      nonce = random.nextLong();
      id = ItemId.of(self, nonce, dataType, data);
    } while (seen.contains(id));
    markSeen(id);
    pruneSampler.itemSeen(nowMillis);
    itemRate.learned(nowMillis);
    nextLocalAdmissionAt = nowMillis + admissionIntervalMillis();
    stats.increment(BroadcastCounter.ITEMS_BROADCAST);
    Gossip outgoing = new Gossip(id, self, nonce, ttl, 1, dataType, data.clone());
    if (!config.flood() && eager.isEmpty() && !lazy.isEmpty()) {
      // PRUNEs can leave a node with no tree link at all. Spread by IHAVE alone, a local item would
      // exist only here until a GRAFT came back, and a cache that turns over fast could evict it
      // first: the item lost everywhere (simulated, 100 items/s: an origin with 30 lazy peers
      // evicted its item 282 ms after announcing it, 5 ms before the first GRAFT). Pushed to one
      // lazy peer, it enters the tree at once, and that peer, receiving a new item from a lazy
      // link, makes the link eager on its side too
      moveToEager(lazy.get(random.nextInt(lazy.size())));
    }
    cacheAndSpread(new CachedItem(outgoing, self, 0, nowMillis));
    return id;
  }

  /**
   * How long a local announcement should wait before {@link #broadcast}, so that the payload cache
   * keeps items for at least {@link BroadcastConfig#minCacheRetentionMillis}: 0 while the cache is
   * not full or its oldest item is old enough. Items from peers cannot be held back; local ones can,
   * in their sender's socket, and since every node sees the same stream, holding them at their
   * sources bounds the whole network's rate to what the caches can repair. Local items are also
   * spaced by that rate ({@link #nextLocalAdmissionAt}): several nodes whose caches still have room
   * would otherwise fill them all at once before any of them sees the others' items. And a local
   * item waits for the stream's pace ({@link #streamPacedUntil}), less one interval of tolerance:
   * by the cache's age alone, a stream just above the rate would wait nothing for {@code
   * cacheSize} items and then its whole debt at once, one item in {@code cacheSize} paying tens of
   * milliseconds; paced, each pays its share and the rate is the same. Nobody GRAFTs from a node
   * without neighbours, nor in the flooding baseline, so there nothing waits.
   */
  public long admissionDelayMillis(long nowMillis) {
    if (config.flood() || !hasNeighbors()) {
      return 0;
    }
    long untilOldestIsOldEnough = config.minCacheRetentionMillis() - cache.retentionMillis(nowMillis);
    long untilPaced = streamPacedUntil - admissionIntervalMillis() - nowMillis;
    long untilSpaced = nextLocalAdmissionAt - nowMillis;
    return Math.max(0, Math.max(untilOldestIsOldEnough, Math.max(untilPaced, untilSpaced)));
  }

  /** The interval at which the cache would turn over in exactly the minimum retention. */
  private long admissionIntervalMillis() {
    return config.minCacheRetentionMillis() / config.cacheSize();
  }

  // ---- inputs from peers -------------------------------------------------------------------

  /** A message from {@code from}, decoded by the runtime (or handed over by the simulator). */
  public void receive(NodeId from, BroadcastMessage message, long nowMillis) {
    switch (message) {
      case Gossip g -> onGossip(from, g, nowMillis);
      case IHave h -> onIHave(from, h, nowMillis);
      case Graft g -> onGraft(from, g, nowMillis);
      case Prune p -> onPrune(from);
    }
  }

  // ---- input from the local API: the subscribers' verdict -----------------------------------

  /**
   * The verdict on an item this core {@linkplain BroadcastIo#deliver delivered}. Only {@link
   * Verdict#VALID} lets it spread. A verdict for an unknown id (late, repeated) changes nothing.
   * {@code nowMillis} dates the item's entry in the payload cache.
   */
  public void validated(ItemId id, Verdict verdict, long nowMillis) {
    PendingItem item = pending.remove(id);
    if (item == null) {
      return;
    }
    boolean banned = false;
    switch (verdict) {
      case VALID -> {
        stats.increment(BroadcastCounter.ITEMS_VALID);
        Gossip received = item.received();
        int nextTtl = Ttl.forwarded(received.ttl());
        if (nextTtl != Ttl.NOT_FORWARDED) {
          cacheAndSpread(
              new CachedItem(received.forwarded(nextTtl), item.from(), received.hops(), nowMillis));
        }
      }
      case INVALID -> {
        // it stays seen: the same item from anyone else is a duplicate, never delivered again
        stats.increment(BroadcastCounter.ITEMS_INVALID);
        log.debug("item {} from {} judged invalid by a local module", id, item.from());
        banned = io.penalize(item.from(), Reputation.Offence.INVALID_ITEM);
      }
      case EXPIRED -> stats.increment(BroadcastCounter.ITEMS_EXPIRED);
      case UNWANTED -> stats.increment(BroadcastCounter.ITEMS_UNWANTED);
    }
    if (banned) {
      windows.dropHeld(item.from()); // nothing more of a banned peer's goes to the modules
    }
    releaseHeld(item.from(), nowMillis);
  }

  /** A verdict on one of {@code from}'s items opened its window: its next held item goes on. */
  private void releaseHeld(NodeId from, long now) {
    windows.judged(from);
    for (Gossip next = windows.takeNext(from); next != null; next = windows.takeNext(from)) {
      if (!seen.contains(next.id())) {
        admit(from, next, now);
        return;
      }
      // another neighbour delivered it while it was held. The held copy came first, so it is no
      // duplicate that prunes its sender, only one the modules need not see
      stats.increment(BroadcastCounter.DUPLICATES_RECEIVED);
    }
  }

  // ---- input from the driver's timers -------------------------------------------------------

  public void timerFired(BroadcastTimer timer, long nowMillis) {
    switch (timer) {
      case RequestMissing r -> requestMissing(r, nowMillis);
      case FlushAnnouncements f -> flushAnnouncements(nowMillis);
      case AnnounceCached a -> announceCached(a.peer());
    }
  }

  // ---- read-only views for drivers, metrics and tests ----------------------------------------

  public BroadcastStats stats() {
    return stats;
  }

  public Set<NodeId> eagerPeers() {
    return Collections.unmodifiableSet(eager);
  }

  public Set<NodeId> lazyPeers() {
    return Collections.unmodifiableSet(lazy);
  }

  public BroadcastConfig config() {
    return config;
  }

  boolean hasSeen(ItemId id) {
    return seen.contains(id);
  }

  /** Whether any of {@code ids} was seen here (delivered, announced, or judged). */
  public boolean hasSeenAny(List<ItemId> ids) {
    for (ItemId id : ids) {
      if (seen.contains(id)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Up to {@code max} of the newest items this node holds that arrived at least {@code minAgeMillis}
   * and at most {@code maxAgeMillis} ago, newest first: evidence of which part of the overlay this
   * node is in (a node that has seen them is in the same part).
   */
  public List<ItemId> recentItems(long nowMillis, long minAgeMillis, long maxAgeMillis, int max) {
    return cache.recent(nowMillis, minAgeMillis, maxAgeMillis, max);
  }

  /** Received items handed to the local modules and awaiting their verdict. */
  public int pendingValidations() {
    return pending.size();
  }

  /** New items held back unseen, all senders together ({@link BroadcastConfig#maxUnjudgedPerPeer}). */
  public int heldItems() {
    return windows.held();
  }

  /** GRAFTs to {@code peer} past their retry timer, still waiting for a late answer. */
  int overdueGrafts(NodeId peer) {
    PeerAllowance allowance = allowances.get(peer);
    return allowance == null ? 0 : allowance.overdueGrafts();
  }

  int heldItems(NodeId from) {
    return windows.held(from);
  }

  /** Items announced by IHAVE and not received yet, being waited for or GRAFTed. */
  public int missingItems() {
    return missing.size();
  }

  int graftedItemsRemembered() {
    return grafted.size();
  }

  /** The wait before GRAFTing an item announced now, as learned so far. */
  public long graftTimeoutMillis() {
    return graftTimeout.current();
  }

  /** The wait for a GRAFT's answer before asking the next announcer, as learned so far. */
  public long graftRetryMillis() {
    return graftRetry.current();
  }

  /** Logged announcements that {@code peer} will be told of at its next turn. */
  int queuedAnnouncements(NodeId peer) {
    return lazyAnnouncements.waitingFor(peer);
  }

  // ---- message handlers ---------------------------------------------------------------------

  private void onGossip(NodeId from, Gossip g, long now) {
    stats.increment(BroadcastCounter.PAYLOAD_RECEIVED);
    creditLateAnswer(from, g);
    if (seen.contains(g.id())) {
      // checked before the id: a forged copy of a seen id only gets its sender pruned, and
      // duplicates (the common case) cost no hashing
      onDuplicate(from, g.id(), now);
      return;
    }
    if (!g.idMatchesContent()) {
      // not marked seen: the genuine item with this id must still get through
      stats.increment(BroadcastCounter.FORGED_IDS);
      log.debug("GOSSIP from {} carries id {} that does not match its content", from, g.id());
      io.penalize(from, Reputation.Offence.FORGED_ITEM);
      return;
    }
    if (pending.size() + windows.held() >= config.maxPendingValidations()) {
      // not marked seen either: another copy may arrive once the local modules have caught up
      stats.increment(BroadcastCounter.PENDING_OVERFLOWS);
      return;
    }
    if (!windows.isOpen(from)) {
      int share = config.maxPendingValidations() / Math.max(1, eager.size() + lazy.size());
      if (windows.hold(from, g, Math.max(1, share))) {
        stats.increment(BroadcastCounter.ITEMS_HELD);
      } else {
        stats.increment(BroadcastCounter.PENDING_OVERFLOWS); // unseen, as above
      }
      return;
    }
    admit(from, g, now);
  }

  /** A new, genuine item from {@code from} goes to the local modules (and waits for their verdict). */
  private void admit(NodeId from, Gossip g, long now) {
    markSeen(g.id());
    pruneSampler.itemSeen(now);
    duplicateStreaks.remove(from); // this link just proved useful
    if (!config.flood() && lazy.contains(from)) {
      // the paper's Receive(GOSSIP): the link that delivered a new item first is a tree link. When
      // broadcasts overlap, a node may have pruned every link that still feeds it; this undoes
      // that without waiting for a GRAFT (measured: a quarter fewer GRAFTs under overlap)
      moveToEager(from);
    }
    MissingItems.Entry announced = missing.remove(g.id());
    if (announced == null) {
      itemRate.learned(now); // an announced item was counted at its first announcement
    } else {
      PeerAllowance asked = announced.awaiting == null ? null : allowances.get(announced.awaiting);
      if (asked != null) {
        if (announced.awaiting.equals(from)) {
          asked.graftAnswered();
        } else {
          asked.graftOvertaken();
        }
      }
      learnGraftTimeout(g.id(), announced, from, now);
      MissingItems.Announcer closest = announced.closestAnnouncer();
      if (closest != null) {
        considerShortcut(from, g.hops(), closest.peer(), closest.hops());
      }
    }
    pending.put(g.id(), new PendingItem(g, from));
    windows.handedOn(from);
    stats.increment(BroadcastCounter.ITEMS_DELIVERED);
    io.deliver(g.id(), g.dataType(), g.data(), from, g.hops()); // last: the verdict may come from inside
  }

  /**
   * The item announced by IHAVE has arrived from {@code from}. A copy nobody was asked for times the
   * eager path ({@link GraftTimeout}); a GRAFT's answer does not, so the item waits for its eager
   * copy among the {@link GraftedItems}. The answer to the latest GRAFT times the GRAFT round trip.
   */
  private void learnGraftTimeout(ItemId id, MissingItems.Entry announced, NodeId from, long now) {
    if (!announced.wasGraftedFrom(from)) {
      graftTimeout.sample(now - announced.announcedAt);
      return;
    }
    if (announced.lastGraftedWas(from)) {
      graftRetry.sample(now - announced.lastGraftAt);
    }
    grafted.add(id, announced);
  }

  private void onDuplicate(NodeId from, ItemId id, long now) {
    stats.increment(BroadcastCounter.DUPLICATES_RECEIVED);
    lazyAnnouncements.peerHas(from, id); // it has the item: no IHAVE of it to that peer
    MissingItems.Entry graftedItem = grafted.remove(id);
    if (graftedItem != null) {
      if (graftedItem.wasGraftedFrom(from)) {
        grafted.add(id, graftedItem); // a second GRAFT's answer: still waiting for the eager copy
      } else {
        graftTimeout.sample(now - graftedItem.announcedAt);
      }
    }
    if (config.flood() || !isNeighbor(from)) {
      return;
    }
    if (eager.contains(from) && !pruneSampler.mayPrune(id)) {
      return; // see PruneSampler: this item is not one of those that prune at this rate
    }
    if (eager.contains(from)
        && duplicateStreaks.merge(from, 1, Integer::sum) < config.pruneAfterDuplicates()) {
      return; // tolerated: see BroadcastConfig#pruneAfterDuplicates
    }
    // the link keeps bringing copies we already had: it is redundant for the tree. PRUNE even if
    // the peer is lazy on our side, since it evidently still pushes to us
    moveToLazy(from);
    send(from, PRUNE, BroadcastCounter.PRUNE_SENT);
  }

  private void onIHave(NodeId from, IHave ihave, long now) {
    stats.increment(BroadcastCounter.IHAVE_RECEIVED);
    if (!isNeighbor(from)) {
      stats.increment(BroadcastCounter.MESSAGES_FROM_NON_NEIGHBORS);
      return;
    }
    if (config.flood()) {
      return; // the baseline has no lazy links: everything arrives eagerly or not at all
    }
    PeerAllowance allowance = allowances.get(from);
    // an announcer may hold an equal share of the missing items, so that one flooding neighbour
    // cannot crowd out the announcements of the others
    int share = allowance.share(config.maxMissingItems() / Math.max(1, eager.size() + lazy.size()));
    List<Announcement> announcements = ihave.announcements();
    long holderMark = lazyAnnouncements.holderMark(from);
    boolean shortcuts = config.optimizationThreshold() > 0;
    for (int i = 0; i < announcements.size(); i++) {
      Announcement a = announcements.get(i);
      lazyAnnouncements.peerHas(holderMark, a.id());
      if (seen.contains(a.id())) {
        if (!shortcuts) {
          continue; // most ids: items we have, and the tree optimisation is off by default
        }
        CachedItem ours = cache.get(a.id());
        if (ours != null
            && considerShortcut(ours.receivedFrom(), ours.receivedHops(), from, a.hops())) {
          cache.replace(new CachedItem(ours.outgoing(), from, a.hops(), ours.cachedAtMillis()));
        }
        continue;
      }
      if (!allowance.mayTrack(now)) {
        // beyond what an honest announcer sends: the rest of this IHAVE is not even looked at
        stats.add(BroadcastCounter.ANNOUNCEMENTS_DROPPED, announcements.size() - i);
        return;
      }
      long timeout = graftWait(now);
      MissingItems.Announcer announcer = new MissingItems.Announcer(from, a.hops());
      switch (missing.add(a.id(), announcer, now, now + timeout, share, cacheTurnsOverFast(now))) {
        case NEW_ITEM -> {
          itemRate.learned(now);
          io.schedule(timeout, new RequestMissing(a.id()));
        }
        case ADDED_SOONER -> io.schedule(timeout, new RequestMissing(a.id())); // see cacheTurnsOverFast
        case ADDED, ALREADY_KNOWN -> {}
        case NO_ROOM_FOR_ITEM, NO_ROOM_FOR_ANNOUNCER, OVER_SHARE ->
            stats.increment(BroadcastCounter.ANNOUNCEMENTS_DROPPED);
      }
    }
  }

  private void onGraft(NodeId from, Graft graft, long now) {
    stats.increment(BroadcastCounter.GRAFT_RECEIVED);
    if (!isNeighbor(from)) {
      stats.increment(BroadcastCounter.MESSAGES_FROM_NON_NEIGHBORS);
      return;
    }
    moveToEager(from);
    PeerAllowance allowance = allowances.get(from);
    for (ItemId id : new LinkedHashSet<>(graft.ids())) { // a repeated id is answered once
      CachedItem item = cache.get(id);
      if (item == null) {
        stats.increment(BroadcastCounter.GRAFTS_UNANSWERED);
        continue;
      }
      if (!allowance.mayAnswer(id, now)) {
        stats.increment(BroadcastCounter.GRAFTS_REFUSED); // a flood of GRAFTs gets no flood of payloads
        continue;
      }
      stats.increment(BroadcastCounter.GRAFTS_ANSWERED);
      send(from, item.outgoing(), BroadcastCounter.PAYLOAD_SENT);
    }
  }

  private void onPrune(NodeId from) {
    stats.increment(BroadcastCounter.PRUNE_RECEIVED);
    if (!isNeighbor(from)) {
      stats.increment(BroadcastCounter.MESSAGES_FROM_NON_NEIGHBORS);
      return;
    }
    if (!config.flood()) {
      moveToLazy(from);
    }
  }

  /**
   * The wait before the first GRAFT of an item announced now: as learned, but short enough that the
   * GRAFT and a retry or two still find the item in the announcer's cache when items come so fast
   * that {@code cache_size} holds them only briefly (losing it there would lose it for good).
   *
   * <p>At most a third of how long caches keep items at the network's rate ({@link ItemRate}): the
   * announcer's flush comes within a quarter of that ({@link #scheduleFlushIfNeeded}), and the
   * GRAFT, its answer and a retry need the rest. That holds for the lazy peers served at that
   * flush; the others are served at later ones (a quarter of them per flush, {@link
   * LazyAnnouncements}), up to a whole retention later: traced, IHAVEs left 68 to 197 ms after
   * the announcer got an item it kept 319 to 393 ms, and the items were lost. Measured
   * at 100 items/s (section 6 of {@code docs/protocol/broadcast.md}): half of this node's own
   * cache age lost items on 7 of 10 seeds, a third of the network's rate on 1.
   *
   * <p>The wait is for an eager copy, so it is cut where none is likely to come: with no eager
   * peer there is no wait at all, and within a GRAFT round trip of our last GRAFT (an eager path
   * just failed us, and a break seldom loses one item alone) it is the configured least. A node cut
   * off from the tree otherwise waited the learned wait for every item, heard of each late (its
   * neighbours serve lazy peers in turn), and GRAFTed after the announcers had evicted it: at 100
   * items/s, 13 deliveries lost on the one seed of ten that lost any, 3 with these cuts.
   */
  private long graftWait(long now) {
    if (eager.isEmpty()) {
      return 1;
    }
    long wait = now - lastGraftSentAt < graftRetry.current()
        ? config.graftTimeoutMillis()
        : graftTimeout.current();
    return Math.max(1, Math.min(wait, graftWaitCap(now)));
  }

  /** The most {@link #graftWait} may be: a third of how long caches keep items at the network's rate. */
  private long graftWaitCap(long now) {
    return itemRate.retentionMillis(now) / 3;
  }

  /**
   * Whether caches keep items so briefly that the cap on the GRAFT wait ({@link #graftWait}) can
   * bind: then an item's first GRAFT is due at the soonest any of its announcements called for
   * ({@link MissingItems.Outcome#ADDED_SOONER}), not only at what its first one did. A node hears
   * of an item it misses late (its announcers serve lazy peers in turn), and its first IHAVE often
   * comes before the node knows that its eager path is broken, so it waits the learned wait; the
   * IHAVEs after its next GRAFT call for the least wait, and waiting out the first one's lost the
   * item: at 100 items/s on 1,000 simulated nodes (seed 10), two of the three nodes that lost an
   * item had heard of it again 50 ms after its first IHAVE, at the least wait, and GRAFTed it only
   * after every announcer had evicted it. While caches keep items for seconds, a later GRAFT loses
   * nothing, and an earlier one may draw payloads an eager copy was bringing: ungated, under the
   * degrade attack at 4 items/s, p99 over 20 s went from 305 to 388 ms on seed 1 (and from 823 to
   * 404 on seed 5; {@code docs/protocol/broadcast.md}, section 6).
   */
  private boolean cacheTurnsOverFast(long now) {
    return graftWaitCap(now) < config.graftTimeoutMaxMillis();
  }

  // ---- timers -------------------------------------------------------------------------------

  private void requestMissing(RequestMissing timer, long now) {
    MissingItems.Entry entry = missing.get(timer.id());
    if (entry == null || now < entry.nextRequestAt) {
      return; // the item arrived, or this timer belongs to an earlier entry for the same id
    }
    if (entry.awaiting != null) {
      PeerAllowance silent = allowances.get(entry.awaiting);
      if (silent != null) {
        silent.graftOverdue(timer.id(), now);
      }
      entry.awaiting = null;
    }
    // the first announcer still a neighbour that is not busy with GRAFTs of ours; busy ones keep
    // their turn, and with none free the item waits a retry interval for one
    List<MissingItems.Announcer> busy = List.of();
    MissingItems.Announcer next;
    PeerAllowance allowance = null;
    while ((next = entry.pollAnnouncer()) != null) {
      if (!isNeighbor(next.peer())) {
        continue;
      }
      allowance = allowances.get(next.peer());
      chargeStrikesDue(next.peer(), allowance, now);
      if (allowance.mayGraft()) {
        break;
      }
      if (busy.isEmpty()) {
        busy = new ArrayList<>(2);
      }
      busy.add(next);
    }
    for (int i = busy.size() - 1; i >= 0; i--) {
      entry.returnAnnouncer(busy.get(i));
    }
    long retry = graftRetry.current();
    if (next == null) {
      if (busy.isEmpty()) {
        missing.remove(timer.id()); // every announcer was asked; a new IHAVE starts over
        return;
      }
      entry.nextRequestAt = now + retry;
      io.schedule(retry, timer);
      return;
    }
    moveToEager(next.peer());
    entry.markGrafted(next.peer(), now);
    entry.awaiting = next.peer();
    allowance.graftSent();
    lastGraftSentAt = now;
    send(next.peer(), new Graft(List.of(timer.id())), BroadcastCounter.GRAFT_SENT);
    entry.nextRequestAt = now + retry;
    io.schedule(retry, timer);
  }

  /**
   * A payload from {@code from} that a GRAFT of ours to it is overdue for is that GRAFT's answer,
   * late: new, duplicate or held for its window alike. Checked against its content (only then, so
   * it costs nothing in the common case), since a duplicate's content is otherwise never hashed.
   */
  private void creditLateAnswer(NodeId from, Gossip g) {
    PeerAllowance allowance = allowances.get(from);
    if (allowance != null && allowance.isOverdue(g.id()) && g.idMatchesContent()) {
      allowance.answeredLate(g.id());
    }
  }

  /** Overdue GRAFTs of {@code peer} whose grace has ended are strikes now; offences among them are penalised. */
  private void chargeStrikesDue(NodeId peer, PeerAllowance allowance, long now) {
    for (int offences = allowance.strikesDue(now); offences > 0; offences--) {
      // it announced items and did not send them when asked, not even late, again and again
      io.penalize(peer, Reputation.Offence.FALSE_ANNOUNCEMENT);
    }
  }

  /**
   * Tells a neighbour whose link came up of every item in the payload cache except those it brought
   * us: items spread before the link existed never reached it this way, and the nodes on the other
   * side of a link that heals a partition would otherwise never hear of them. It GRAFTs what it
   * lacks; what it has costs it a seen-record lookup. At most the newest {@code ihaveMaxIds} x
   * {@code ihaveMaxMessagesPerFlush} items (1,024; the default cache holds 50), in IHAVEs of at
   * most {@code ihaveMaxIds}: the same bound as one peer's turn at a flush.
   */
  private void announceCached(NodeId peer) {
    if (!isNeighbor(peer)) {
      return;
    }
    int skip = cache.size() - config.ihaveMaxIds() * config.ihaveMaxMessagesPerFlush();
    List<Announcement> batch = new ArrayList<>();
    for (CachedItem item : cache.items()) {
      if (skip-- > 0) {
        continue; // older than the newest that fit: likely evicted at the peer's other neighbours too
      }
      if (!peer.equals(item.receivedFrom())) {
        batch.add(item.outgoing().announcement());
      }
      if (batch.size() == config.ihaveMaxIds()) {
        sendIHave(peer, new IHave(batch));
        batch = new ArrayList<>();
      }
    }
    if (!batch.isEmpty()) {
      sendIHave(peer, new IHave(batch));
    }
  }

  private void sendIHave(NodeId peer, IHave ihave) {
    stats.add(BroadcastCounter.IHAVE_IDS_SENT, ihave.announcements().size());
    send(peer, ihave, BroadcastCounter.IHAVE_SENT);
  }

  private void flushAnnouncements(long now) {
    flushScheduled = false;
    for (LazyAnnouncements.Batch batch : lazyAnnouncements.flush()) {
      sendIHave(batch.peer(), batch.message());
    }
    scheduleFlushIfNeeded(now);
  }

  // ---- spreading ----------------------------------------------------------------------------

  private void cacheAndSpread(CachedItem item) {
    long now = item.cachedAtMillis();
    ItemId evicted = cache.add(item);
    // a flood from peers must not hold local items back for longer than the cache's age rule would
    streamPacedUntil = Math.min(Math.max(streamPacedUntil, now) + admissionIntervalMillis(),
        now + config.minCacheRetentionMillis());
    if (evicted != null) {
      stats.increment(BroadcastCounter.CACHE_EVICTIONS);
      lazyAnnouncements.evicted(evicted); // a GRAFT for it could not be answered any more
    }
    Gossip outgoing = item.outgoing();
    NodeId except = item.receivedFrom();
    for (int i = 0; i < eager.size(); i++) {
      NodeId peer = eager.get(i);
      if (!peer.equals(except)) {
        send(peer, outgoing, BroadcastCounter.PAYLOAD_SENT);
      }
    }
    if (config.flood()) {
      return;
    }
    if (!lazyAnnouncements.hasLazyPeers()) {
      return; // every neighbour but the sender was just pushed the item
    }
    lazyAnnouncements.add(outgoing.announcement(), except);
    scheduleFlushIfNeeded(now);
  }

  /**
   * Announcements wait up to {@code ihaveFlushMillis} to be batched, but no longer than a quarter
   * of the time the payload cache keeps items: an IHAVE that arrives after the item was evicted
   * here can only lead to a GRAFT that goes unanswered.
   */
  private void scheduleFlushIfNeeded(long now) {
    if (!flushScheduled && lazyAnnouncements.needsFlush()) {
      flushScheduled = true;
      long delay = Math.min(config.ihaveFlushMillis(), cache.retentionMillis(now) / 4);
      io.schedule(Math.max(1, delay), FLUSH);
    }
  }

  /**
   * Tree optimisation (paper section 3.8): if {@code announcer} offers the item {@code threshold}
   * or more hops closer to its origin than the eager link it came by, graft the announcer's link
   * and prune the longer one. Returns whether it did.
   */
  private boolean considerShortcut(
      NodeId eagerSender, int receivedHops, NodeId announcer, int announcedHops) {
    int threshold = config.optimizationThreshold();
    if (threshold == 0
        || config.flood()
        || eagerSender.equals(self)
        || eagerSender.equals(announcer)
        || receivedHops - announcedHops < threshold
        || !isNeighbor(announcer)) {
      return false;
    }
    if (!eager.contains(announcer)) {
      moveToEager(announcer);
      send(announcer, new Graft(List.of()), BroadcastCounter.GRAFT_SENT);
    }
    if (eager.contains(eagerSender)) {
      moveToLazy(eagerSender);
      send(eagerSender, PRUNE, BroadcastCounter.PRUNE_SENT);
    }
    stats.increment(BroadcastCounter.TREE_SHORTCUTS);
    return true;
  }

  // ---- small helpers ------------------------------------------------------------------------

  private void markSeen(ItemId id) {
    if (seen.add(id)) {
      stats.increment(BroadcastCounter.SEEN_EVICTIONS);
    }
  }

  private boolean hasNeighbors() {
    return !eager.isEmpty() || !lazy.isEmpty();
  }

  private boolean isNeighbor(NodeId peer) {
    return eager.contains(peer) || lazy.contains(peer);
  }

  private void moveToEager(NodeId peer) {
    if (lazy.remove(peer)) {
      eager.add(peer);
      lazyAnnouncements.becameEager(peer);
    }
  }

  private void moveToLazy(NodeId peer) {
    if (eager.remove(peer)) {
      lazy.add(peer);
      lazyAnnouncements.becameLazy(peer);
    }
    duplicateStreaks.remove(peer);
  }

  private void send(NodeId peer, BroadcastMessage message, BroadcastCounter counter) {
    stats.increment(counter);
    io.send(peer, message);
  }
}
