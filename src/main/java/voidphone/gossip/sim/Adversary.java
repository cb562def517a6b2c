package voidphone.gossip.sim;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.broadcast.Announcement;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage;

/**
 * The misbehaviour of one sybil: it sits between the sybil's own core and the network, filtering
 * what the core sends, watching what arrives, and adding floods on a timer of its own. Until the
 * attack starts ({@link #start}) it lets everything through, so a sybil can behave for as long as
 * a covert attack wants. Deterministic: its choices come from a generator split from the run's.
 */
final class Adversary {
  /** Timer of an adversary's floods; one per sybil, rescheduled while the attack lasts. */
  record Tick() {}

  static final Tick TICK = new Tick();
  /** Floods come 40 times a second, the rate the hostile peer of the real-socket tests used. */
  static final long FLOOD_INTERVAL_MILLIS = 25;
  /** Eclipse pressure: a NEIGHBOR request to each victim not taken yet, once a second. */
  static final long PRESSURE_INTERVAL_MILLIS = 1000;
  /** Chatter: 125 messages per flood interval, 5,000 a second per neighbour. */
  static final int CHATTER_PER_TICK = 125;
  /** What chatter sends: one shared instance, the message itself is not what costs. */
  static final BroadcastMessage CHATTER_MESSAGE = new BroadcastMessage.Prune();
  /** Invalid items come 10 a second per sybil. */
  static final long INVALID_INTERVAL_MILLIS = 100;
  /** First byte of an item's data that the simulated validators reject. */
  static final byte INVALID_MARK = (byte) 0xBA;
  /** Ids of received items a GRAFT flood keeps to ask for again (each answer is a payload). */
  private static final int REMEMBERED_IDS = 64;
  /**
   * Unknown ids an IHAVE flood announces, made once and shared by every flooder: each sybil walks
   * through them from a random place, so an id comes back to a neighbour after 64 floods (1.6 s),
   * when the honest node has long given it up. Making fresh ones for every message would cost the
   * simulation more than the attack costs the honest nodes.
   */
  private static final List<Announcement> UNKNOWN_IDS;

  static {
    SplittableRandom ids = new SplittableRandom(0x1D5L);
    List<Announcement> made = new ArrayList<>(64 * BroadcastMessage.MAX_IHAVE_ENTRIES);
    for (int i = 0; i < 64 * BroadcastMessage.MAX_IHAVE_ENTRIES; i++) {
      made.add(new Announcement(new ItemId(ids.nextLong()), 1));
    }
    UNKNOWN_IDS = List.copyOf(made);
  }

  final Attack attack;
  private final SplittableRandom random;
  /** The origin whose items {@link Attack#CENSOR} drops; null before one is named. */
  private NodeId censored;
  private boolean active;
  /** Ids of the censored origin's items seen so far (an IHAVE names ids, not origins). */
  private final Set<ItemId> censoredIds = new HashSet<>();
  private final ArrayDeque<ItemId> recentIds = new ArrayDeque<>();
  /** Where this sybil's next IHAVE flood starts in {@link #UNKNOWN_IDS}. */
  private int floodOffset;
  /** The honest nodes an eclipse presses, by index; set when the attack starts. */
  private int[] victims = new int[0];

  Adversary(Attack attack, SplittableRandom random) {
    this.attack = attack;
    this.random = random;
    this.floodOffset = random.nextInt(64) * BroadcastMessage.MAX_IHAVE_ENTRIES;
  }

  void censor(NodeId origin) {
    censored = origin;
  }

  boolean active() {
    return active;
  }

  /** The attack begins: from now on this sybil misbehaves. Returns the delay of its first tick, or -1. */
  long start() {
    active = true;
    return switch (attack) {
      case IHAVE_FLOOD, GRAFT_FLOOD, SHUFFLE_POISON, CHATTER -> random.nextLong(FLOOD_INTERVAL_MILLIS) + 1;
      case INVALID_FLOOD -> random.nextLong(INVALID_INTERVAL_MILLIS) + 1;
      case ECLIPSE_ONE, ECLIPSE_ALL -> random.nextLong(PRESSURE_INTERVAL_MILLIS) + 1;
      default -> -1;
    };
  }

  /**
   * What goes out of the message {@code message} the sybil's core sends to {@code to}: the message
   * itself, a changed one, or null for nothing.
   */
  BroadcastMessage outgoing(BroadcastMessage message) {
    if (!active) {
      return message;
    }
    return switch (attack) {
      case MUTE, IHAVE_FLOOD, GRAFT_FLOOD, ECLIPSE_ONE, ECLIPSE_ALL, SHUFFLE_POISON, CHATTER -> null;
      case DEGRADE -> message instanceof Gossip && random.nextBoolean() ? null : message;
      case CENSOR -> censor(message);
      case IHAVE_LIAR -> message instanceof Gossip ? null : message;
      case INVALID_FLOOD -> message;
      case FORGED_IDS -> message instanceof Gossip g ? forge(g) : message;
    };
  }

  private BroadcastMessage censor(BroadcastMessage message) {
    switch (message) {
      case Gossip g when censoredIds.contains(g.id()) || g.origin().equals(censored) -> {
        return null;
      }
      case IHave ihave -> {
        List<Announcement> kept = new ArrayList<>(ihave.announcements().size());
        for (Announcement a : ihave.announcements()) {
          if (!censoredIds.contains(a.id())) {
            kept.add(a);
          }
        }
        return kept.isEmpty() ? null : new IHave(kept);
      }
      default -> {
        return message;
      }
    }
  }

  /** The same item under the same id, with one byte of its content changed. */
  private static Gossip forge(Gossip g) {
    byte[] data = g.data().clone();
    data[0] ^= 0x55;
    return new Gossip(g.id(), g.origin(), g.nonce(), g.ttl(), g.hops(), g.dataType(), data);
  }

  /**
   * A message from a neighbour reached the sybil (its core takes it after this). Returns messages
   * to send at once, each to every neighbour but {@code from}; empty for none.
   */
  List<BroadcastMessage> received(BroadcastMessage message) {
    if (!(message instanceof Gossip g)) {
      return List.of();
    }
    if (g.origin().equals(censored)) {
      censoredIds.add(g.id());
    }
    recentIds.addLast(g.id());
    if (recentIds.size() > REMEMBERED_IDS) {
      recentIds.removeFirst();
    }
    if (active && attack == Attack.IHAVE_LIAR) {
      return List.of(new IHave(List.of(new Announcement(g.id(), g.hops() + 1))));
    }
    return List.of();
  }

  /** What the sybil floods each neighbour with at a tick: one message per neighbour. */
  BroadcastMessage flood() {
    return switch (attack) {
      case IHAVE_FLOOD -> {
        int from = floodOffset;
        floodOffset = (floodOffset + BroadcastMessage.MAX_IHAVE_ENTRIES) % UNKNOWN_IDS.size();
        yield new IHave(UNKNOWN_IDS.subList(from, from + BroadcastMessage.MAX_IHAVE_ENTRIES));
      }
      case GRAFT_FLOOD -> {
        List<ItemId> ids = new ArrayList<>(BroadcastMessage.MAX_GRAFT_IDS);
        ids.addAll(recentIds);
        while (ids.size() < BroadcastMessage.MAX_GRAFT_IDS) {
          ids.add(randomId());
        }
        yield new Graft(ids.subList(0, BroadcastMessage.MAX_GRAFT_IDS));
      }
      default -> null;
    };
  }

  /**
   * A poisoning SHUFFLE: as many sybils as a shuffle carries, one of them its origin, with one hop
   * to go so that it ends at the neighbour it is sent to. {@code sybils} is every sybil's entry.
   */
  MembershipMessage.Shuffle poison(List<Peer> sybils, int entries) {
    List<Peer> named = new ArrayList<>(entries);
    for (int i = 0; i < entries && !sybils.isEmpty(); i++) {
      named.add(sybils.get(random.nextInt(sybils.size())));
    }
    return new MembershipMessage.Shuffle(named.getFirst(), 1, named);
  }

  /** Data for the sybil's next invalid item: marked so that every honest validator rejects it. */
  byte[] invalidData() {
    byte[] data = new byte[16];
    random.nextBytes(data);
    data[0] = INVALID_MARK;
    return data;
  }

  /** The delay until the next tick. */
  long interval() {
    return switch (attack) {
      case INVALID_FLOOD -> INVALID_INTERVAL_MILLIS;
      case ECLIPSE_ONE, ECLIPSE_ALL -> PRESSURE_INTERVAL_MILLIS;
      default -> FLOOD_INTERVAL_MILLIS;
    };
  }

  boolean eclipses() {
    return attack == Attack.ECLIPSE_ONE || attack == Attack.ECLIPSE_ALL;
  }

  /** Whether the sybil's core may send {@code message}: an eclipsing sybil never says goodbye. */
  boolean sends(MembershipMessage message) {
    return !(active && eclipses() && message instanceof MembershipMessage.Disconnect);
  }

  void aimAt(int[] targets) {
    victims = targets.clone();
  }

  int[] victims() {
    return victims;
  }

  /** {@code count} distinct random picks among {@code candidates}, for an eclipse of the whole network. */
  int[] pick(List<Integer> candidates, int count) {
    List<Integer> pool = new ArrayList<>(candidates);
    int n = Math.min(count, pool.size());
    int[] picked = new int[n];
    for (int i = 0; i < n; i++) {
      int j = i + random.nextInt(pool.size() - i);
      Integer t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
      picked[i] = pool.get(i);
    }
    return picked;
  }

  private ItemId randomId() {
    return new ItemId(random.nextLong());
  }
}
