package voidphone.gossip.core;

import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Standing of peers that misbehaved: each offence adds its weight to the peer's score, the score
 * decays with time, and a peer whose score reaches {@link #BAN_THRESHOLD} is banned: disconnected and
 * refused at the handshake until the ban ends. Each further ban of the same peer lasts twice as long,
 * up to {@code maxBan}. Pure logic: time comes in as {@code nowMillis}.
 *
 * <p>Bounded: at most {@code capacity} peers are remembered; when full, the entry with the least to
 * remember (lowest score, not banned) is forgotten first.
 */
public final class Reputation {
  public static final int BAN_THRESHOLD = 100;

  /** What a peer did, with how much of the threshold one offence costs. */
  public enum Offence {
    /**
     * Sent an item a local module judged invalid. Possibly an honest peer whose modules judge
     * differently, so it takes four within about a minute (26 each; decay forgives the rest).
     */
    INVALID_ITEM(26),
    /** Sent an item whose id does not match its content: a forgery, no honest peer does it. */
    FORGED_ITEM(BAN_THRESHOLD),
    /**
     * Announced items and left GRAFTs for them unanswered, net of those it answered, more than
     * {@code PeerAllowance.STRIKES_BEFORE_OFFENCE} times: each further one costs this, so a liar
     * is banned after four more.
     */
    FALSE_ANNOUNCEMENT(26),
    /** Broke the wire protocol (undecodable or out-of-order message). */
    PROTOCOL_VIOLATION(BAN_THRESHOLD);

    final int weight;

    Offence(int weight) {
      this.weight = weight;
    }
  }

  private static final class Standing {
    double score;
    long scoredAtMillis;
    long bannedUntilMillis;
    int bans;
  }

  private final Duration halfLife;
  private final Duration firstBan;
  private final Duration maxBan;
  private final int capacity;
  private final Map<NodeId, Standing> peers = new HashMap<>();

  /**
   * @param halfLife time for a score to halve (default 10 min)
   * @param firstBan length of a peer's first ban (default 10 min)
   * @param maxBan longest ban (default 24 h)
   * @param capacity most peers remembered (default 10,000)
   */
  public Reputation(Duration halfLife, Duration firstBan, Duration maxBan, int capacity) {
    this.halfLife = halfLife;
    this.firstBan = firstBan;
    this.maxBan = maxBan;
    this.capacity = capacity;
  }

  public static Reputation withDefaults() {
    return new Reputation(Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofHours(24), 10_000);
  }

  /** Records an offence; returns true when it got the peer banned (the caller disconnects it). */
  public boolean offend(NodeId peer, Offence offence, long nowMillis) {
    Standing s = peers.get(peer);
    if (s == null) {
      makeRoom(nowMillis);
      s = new Standing();
      s.scoredAtMillis = nowMillis;
      peers.put(peer, s);
    }
    s.score = decayed(s, nowMillis) + offence.weight;
    s.scoredAtMillis = nowMillis;
    if (s.score < BAN_THRESHOLD || s.bannedUntilMillis > nowMillis) return false;
    long ban = Math.min(maxBan.toMillis(), firstBan.toMillis() << Math.min(s.bans, 20));
    s.bans++;
    s.bannedUntilMillis = nowMillis + ban;
    s.score = 0;
    return true;
  }

  /** Milliseconds left of the peer's ban, 0 when it is not banned. */
  public long banRemaining(NodeId peer, long nowMillis) {
    Standing s = peers.get(peer);
    return s == null ? 0 : Math.max(0, s.bannedUntilMillis - nowMillis);
  }

  public double score(NodeId peer, long nowMillis) {
    Standing s = peers.get(peer);
    return s == null ? 0 : decayed(s, nowMillis);
  }

  public int size() {
    return peers.size();
  }

  private double decayed(Standing s, long nowMillis) {
    double halvings = (double) (nowMillis - s.scoredAtMillis) / halfLife.toMillis();
    return s.score * Math.pow(0.5, halvings);
  }

  private void makeRoom(long nowMillis) {
    if (peers.size() < capacity) return;
    NodeId victim = null;
    double least = Double.MAX_VALUE;
    for (Iterator<Map.Entry<NodeId, Standing>> it = peers.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<NodeId, Standing> e = it.next();
      Standing s = e.getValue();
      if (s.bannedUntilMillis > nowMillis) continue;
      double score = decayed(s, nowMillis);
      if (score < least) {
        least = score;
        victim = e.getKey();
      }
    }
    if (victim == null) victim = peers.keySet().iterator().next(); // everyone banned: forget one ban
    peers.remove(victim);
  }
}
