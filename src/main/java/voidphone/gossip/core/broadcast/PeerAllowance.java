package voidphone.gossip.core.broadcast;

import java.util.LinkedHashSet;
import voidphone.gossip.core.TokenBucket;

/**
 * What one neighbour may make this node do for it: how many GRAFTed ids it answers, and how many
 * announced ids it tracks as missing, each a token bucket; which ids it already answered to that
 * neighbour, since an honest peer GRAFTs an item from a given announcer once; and its strikes, our
 * GRAFTs it left unanswered less those it answered. Each strike halves its share of the missing
 * items, so an announcer of items it does not send soon draws one GRAFT at a time. Made when the
 * link comes up, dropped when it goes; everything beyond it is ignored at no cost.
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

  private final TokenBucket graftAnswers;
  private final TokenBucket announcedIds;
  private final int rememberedAnswers;
  private final LinkedHashSet<ItemId> answered = new LinkedHashSet<>();
  private int strikes;
  private int outstandingGrafts;

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
    if (answered.contains(id) || !graftAnswers.tryAcquire(now)) {
      return false;
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
    return Math.max(1, share >> Math.min(strikes, 30));
  }

  /** Whether a GRAFT may go to this neighbour now: not while too many await their answer. */
  boolean mayGraft() {
    return outstandingGrafts < MAX_OUTSTANDING_GRAFTS;
  }

  void graftSent() {
    outstandingGrafts++;
  }

  /** A GRAFT to this neighbour went unanswered in time; whether that is an offence now. */
  boolean graftUnanswered() {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
    strikes++;
    return strikes > STRIKES_BEFORE_OFFENCE;
  }

  /** This neighbour answered a GRAFT of ours. */
  void graftAnswered() {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
    strikes = Math.max(0, strikes - 1);
  }

  /** The item a GRAFT to this neighbour asked for came from another peer first: no answer is awaited. */
  void graftOvertaken() {
    outstandingGrafts = Math.max(0, outstandingGrafts - 1);
  }
}
