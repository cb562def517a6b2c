package voidphone.gossip.core.broadcast;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import voidphone.gossip.core.TokenBucket;

/**
 * What one neighbour may make this node do for it: how many GRAFTed ids it answers, and how many
 * announced ids it tracks as missing, each a token bucket; which ids it already answered to that
 * neighbour, since an honest peer GRAFTs an item from a given announcer once; and its strikes, our
 * GRAFTs it never answered less those it answered. Each strike (and each GRAFT still overdue) halves
 * its share of the missing items, so an announcer of items it does not send soon draws one GRAFT at
 * a time. Made when the link comes up, dropped when it goes; everything beyond it is ignored at no
 * cost.
 *
 * <p>Why a GRAFT is overdue before it is a strike: when its retry timer fires we ask the next
 * announcer, but the first may merely be slow (a stalled event loop, a GC pause, an overloaded
 * host). Counting it then banned honest nodes under load ({@code docs/BENCHMARKS.md}, soak): their
 * answers came, late. So the GRAFT waits {@link #LATE_ANSWER_GRACE_MILLIS} more for the item from
 * that peer, as a duplicate or not; only a GRAFT still unanswered then is a strike.
 */
final class PeerAllowance {
  /**
   * Net unanswered GRAFTs from which each further one is an offence. An honest announcer answers
   * what it announced (the payload cache keeps items well past a GRAFT's wait), so it never gets
   * near; a liar gets here after 16 GRAFTs.
   */
  static final int STRIKES_BEFORE_OFFENCE = 16;
  /**
   * GRAFTs to one neighbour awaiting their answer at once; later ones wait their turn. Paces the
   * GRAFTs an announcer of unknown items can draw, so strikes come before a burst does.
   */
  static final int MAX_OUTSTANDING_GRAFTS = 8;
  /**
   * How long after its retry timer a GRAFT's answer still clears it. Covers the stalls an honest
   * node has (a loop turn of tens of ms under load, a GC pause, a burst of work) with room to
   * spare; a peer silent for longer is not one we can use for repair anyway.
   */
  static final long LATE_ANSWER_GRACE_MILLIS = 2_000;

  private final TokenBucket graftAnswers;
  private final TokenBucket announcedIds;
  private final int rememberedAnswers;
  /**
   * Null until the first GRAFT answered, as {@link #overdue} until the first overdue GRAFT: most
   * links never carry one, and the simulator holds millions of links.
   */
  private LinkedHashSet<ItemId> answered;
  private int strikes;
  private int outstandingGrafts;
  /**
   * GRAFTs past their retry timer, by id, with the time each becomes a strike; oldest first. At
   * most {@link #MAX_OUTSTANDING_GRAFTS}, since overdue GRAFTs count among those awaiting an answer.
   */
  private LinkedHashMap<ItemId, Long> overdue;

  PeerAllowance(BroadcastConfig config) {
    this.graftAnswers = new TokenBucket(config.graftAnswersPerSecond(), 2.0 * config.graftAnswersPerSecond());
    this.announcedIds = new TokenBucket(config.announcedIdsPerSecond(), 2.0 * config.announcedIdsPerSecond());
    this.rememberedAnswers = config.cacheSize();
  }

  /**
   * Whether to answer this neighbour's GRAFT of {@code id} with its payload, at {@code now}: not if
   * it was answered to this neighbour already, nor beyond the rate.
   */
  boolean mayAnswer(ItemId id, long now) {
    if ((answered != null && answered.contains(id)) || !graftAnswers.tryAcquire(now)) {
      return false;
    }
    if (answered == null) {
      answered = new LinkedHashSet<>();
    }
    answered.add(id);
    if (answered.size() > rememberedAnswers) {
      answered.removeFirst(); // older than anything the cache still holds: it cannot be answered anyway
    }
    return true;
  }

  /** Whether to track one more id this neighbour announced and we do not have. */
  boolean mayTrack(long now) {
    return announcedIds.tryAcquire(now);
  }

  /** How many missing items this neighbour's announcements may hold at once, of a fair {@code share}. */
  int share(int share) {
    return Math.max(1, share >> Math.min(strikes + overdueGrafts(), 30));
  }

  /**
   * Whether a GRAFT may go to this neighbour now: not while too many await their answer, overdue
   * ones included (a slow peer is not asked for more while it is behind; a liar is not asked at
   * all until its overdue GRAFTs have become strikes).
   */
  boolean mayGraft() {
    return outstandingGrafts + overdueGrafts() < MAX_OUTSTANDING_GRAFTS;
  }

  void graftSent() {
    outstandingGrafts++;
  }

  /** Our GRAFT of {@code id} to this neighbour was not answered before its retry timer. */
  void graftOverdue(ItemId id, long now) {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
    if (overdue == null) {
      overdue = new LinkedHashMap<>();
    }
    overdue.putIfAbsent(id, now + LATE_ANSWER_GRACE_MILLIS);
  }

  /**
   * Turns the GRAFTs whose grace ended by {@code now} into strikes; returns how many of them are
   * offences (those beyond {@link #STRIKES_BEFORE_OFFENCE} net strikes).
   */
  int strikesDue(long now) {
    if (overdue == null) {
      return 0;
    }
    int offences = 0;
    for (Iterator<Map.Entry<ItemId, Long>> it = overdue.entrySet().iterator(); it.hasNext(); ) {
      if (it.next().getValue() > now) {
        break; // deadlines grow in insertion order
      }
      it.remove();
      strikes++;
      if (strikes > STRIKES_BEFORE_OFFENCE) {
        offences++;
      }
    }
    return offences;
  }

  /** This neighbour answered a GRAFT of ours in time. */
  void graftAnswered() {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
    strikes = Math.max(0, strikes - 1);
  }

  /** Whether our GRAFT of {@code id} to this neighbour is past its retry timer and within its grace. */
  boolean isOverdue(ItemId id) {
    return overdue != null && overdue.containsKey(id);
  }

  /** This neighbour sent {@code id}, whose GRAFT was overdue: no strike, and the credit of an answer. */
  void answeredLate(ItemId id) {
    if (overdue != null && overdue.remove(id) != null) {
      strikes = Math.max(0, strikes - 1);
    }
  }

  /** The item a GRAFT to this neighbour asked for came from another peer first: no answer is awaited. */
  void graftOvertaken() {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
  }

  /** GRAFTs to this neighbour past their retry timer and within their grace. */
  int overdueGrafts() {
    return overdue == null ? 0 : overdue.size();
  }
}
