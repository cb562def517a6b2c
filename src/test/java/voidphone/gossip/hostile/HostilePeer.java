package voidphone.gossip.hostile;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.DialFailure;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.Announcement;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.broadcast.MalformedBroadcastException;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipDecodeException;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.MergeProbe;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;
import voidphone.gossip.link.ControlMessage;
import voidphone.gossip.link.IdentityPolicy;
import voidphone.gossip.link.LinkInfo;
import voidphone.gossip.link.LinkListener;
import voidphone.gossip.link.LinkManager;
import voidphone.gossip.link.LinkSettings;
import voidphone.gossip.link.RawLink;
import voidphone.gossip.link.Transport;

/**
 * A misbehaving gossip peer for tests against real {@code gossip run} nodes, built from the
 * project's own link code: each of its identities is a {@link LinkManager} (TLS, the hostkey
 * binding, HELLO with proof of work, keepalives) on one event loop of the peer's own, and every
 * message it sends is a real one, made by {@link MembershipCodec} and {@link BroadcastCodec}.
 * Two behaviours need what a LinkManager never does (stop reading; break the link protocol on an
 * up link): they run on a {@link RawLink}, whose handshake is the link's own too, and only the
 * malformed frames are put together by hand.
 *
 * <p>It attacks one honest node, the victim: it dials it, JOINs (becoming its neighbour), and then
 * does what its {@link Behaviour} says, while answering what a linked peer must answer (its link
 * manager answers PINGs; NEIGHBOR requests of the victim are accepted, anyone else's refused) and
 * nothing else: it forwards no item, answers no GRAFT and lets every walk it is handed die. What it saw
 * is kept for the test to read ({@link #events}, the counters), from any thread.
 */
public final class HostilePeer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("hostile");

  /** One switch per misbehaviour; see docs/SECURITY.md, "Hostile peer against real processes". */
  public enum Behaviour {
    /** GOSSIPs whose ids are right but whose content the honest modules reject, flooded to the victim. */
    INVALID_ITEMS,
    /** GRAFTs of 64 ids each, flooded: ids of items it was sent (asked again and again) and unknown ones. */
    GRAFT_FLOOD,
    /** IHAVEs of 1,024 unknown ids each, flooded; the GRAFTs they draw are never answered. */
    IHAVE_FLOOD,
    /** Once a neighbour, never reads its socket again, while it PINGs, so the victim queues PONGs for it. */
    STALL_READING,
    /** Frames that break the protocol, on an up link; one identity per {@link Malformation}. */
    MALFORMED_AFTER_HANDSHAKE,
    /**
     * Many identities from one address (loopback), each advertising an address in a /24 of its own,
     * each pressing the victim with JOIN and then high-priority NEIGHBOR again whenever it is evicted.
     */
    VIEW_PRESSURE
  }

  /** The malformed frames of {@link Behaviour#MALFORMED_AFTER_HANDSHAKE}, each on a link of its own. */
  public enum Malformation {
    /** A control frame (channel 0) of a kind that does not exist. */
    UNKNOWN_CONTROL_KIND(true),
    /** A frame of length 0: not even a channel byte. */
    EMPTY_FRAME(true),
    /** A second HELLO on a link that is up. */
    HELLO_ON_AN_UP_LINK(true),
    /** A length prefix far beyond the frame limit (nothing after it can be framed). */
    OVERSIZED_LENGTH(false),
    /** A membership frame (channel 1) of an unknown kind: a JOIN with its kind byte changed. */
    UNDECODABLE_MEMBERSHIP(false),
    /** A broadcast frame (channel 2) with a byte after a well-formed GRAFT. */
    BROADCAST_TRAILING_BYTES(false),
    /** A frame on channel 9, which no layer reads. */
    UNKNOWN_CHANNEL(false);

    /**
     * What docs/PROTOCOL.md ("Accountability") says the node does: true, answer REFUSE
     * (PROTOCOL_VIOLATION) and close (a violation of the link protocol itself); false, close at once
     * without a REFUSE (an oversized length, or a frame the node core cannot read). Both ban.
     */
    public final boolean answeredWithRefuse;

    Malformation(boolean answeredWithRefuse) {
      this.answeredWithRefuse = answeredWithRefuse;
    }
  }

  /**
   * How the identities of {@link Behaviour#VIEW_PRESSURE} meet the victim's own requests to them.
   * Each says it listens at 127.i.0.1, a /24 of its own; the victim asks a sybil itself when it ends
   * that sybil's join walk (in a small overlay the walks come back to it), refills, or probes.
   */
  public enum SybilTactic {
    /**
     * It only presses: nobody listens at its advertised address (a dial of it is refused at once),
     * and a request of the victim's that comes on its link is refused at once.
     */
    PRESS_ONLY,
    /**
     * It makes the victim's own requests cross its presses: a tarpit at its advertised address
     * accepts and never answers (a dial of it hangs until the handshake timeout, as at an address
     * behind a dropping firewall), so the victim's request is still out when the sybil presses
     * again; a request that comes on its link it accepts.
     */
    CROSS_OWN_REQUESTS
  }

  /**
   * How hard it presses.
   *
   * @param dataType the data type of its invalid items: the one the honest modules subscribe to,
   *     else nobody judges them (UNWANTED, no penalty)
   * @param floodInterval between two flood ticks; each tick sends one message (or {@code
   *     invalidItemsPerTick} items) to the victim while it is its neighbour
   * @param invalidItemsPerTick items per tick for {@link Behaviour#INVALID_ITEMS}
   * @param pressInterval {@link Behaviour#VIEW_PRESSURE}: the least time between two requests of
   *     one identity (the simulator's eclipse presses once a second)
   * @param redialDelay after its link closed, how soon an identity dials again (and so finds out
   *     whether it is refused)
   * @param pingsPerWrite {@link Behaviour#STALL_READING}: PINGs per write while stalled, one write
   *     per {@code floodInterval}
   * @param sybilTactic {@link Behaviour#VIEW_PRESSURE}: how it meets the victim's own requests
   */
  public record Options(int dataType, Duration floodInterval, int invalidItemsPerTick, Duration pressInterval,
      Duration redialDelay, int pingsPerWrite, SybilTactic sybilTactic) {
    public static Options of(int dataType) {
      return new Options(dataType, Duration.ofMillis(10), 1, Duration.ofSeconds(1), Duration.ofMillis(200), 500,
          SybilTactic.PRESS_ONLY);
    }

    public Options withFloodInterval(Duration interval) {
      return new Options(dataType, interval, invalidItemsPerTick, pressInterval, redialDelay, pingsPerWrite, sybilTactic);
    }

    public Options withInvalidItemsPerTick(int n) {
      return new Options(dataType, floodInterval, n, pressInterval, redialDelay, pingsPerWrite, sybilTactic);
    }

    public Options withSybilTactic(SybilTactic kind) {
      return new Options(dataType, floodInterval, invalidItemsPerTick, pressInterval, redialDelay, pingsPerWrite, kind);
    }
  }

  /** What happened to one identity, in order. */
  public enum Kind {
    /** Its link to the victim is up. */
    LINK_UP,
    /** Its link to the victim closed; the detail is the reason its link manager gives. */
    LINK_DOWN,
    /** A dial of the victim failed; the detail says why (a REFUSE names its reason). */
    DIAL_FAILED,
    /** The victim took it as a neighbour (NEIGHBOR_REPLY accepted, or its own NEIGHBOR). */
    ACCEPTED,
    /** The victim refused its JOIN or NEIGHBOR. */
    REFUSED,
    /** The victim dropped it from its active view (DISCONNECT). */
    EVICTED,
    /** It stopped reading ({@link Behaviour#STALL_READING}). */
    STALLED
  }

  public record Event(NodeId identity, Kind kind, String detail, long atNanos) {
    @Override
    public String toString() {
      return identity.shortHex() + " " + kind + (detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /** The outcome of one {@link Malformation}: how its link ended, and the answer to its reconnect. */
  public record MalformedOutcome(Malformation malformation, NodeId identity, RawLink.Ending ending,
      ControlMessage.Refuse reconnect, String failure) {}

  private static final int RECENT_IDS = 32;

  private final Behaviour behaviour;
  private final Options options;
  private final PeerAddress victim;
  private final List<HostileIdentity> identities;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final List<Persona> personas = new ArrayList<>();
  private final SplittableRandom random = new SplittableRandom(0x4057_11E);
  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final List<MalformedOutcome> malformed = new CopyOnWriteArrayList<>();
  private final Map<ItemId, AtomicInteger> payloadsReceived = new ConcurrentHashMap<>();
  private final AtomicLong invalidItemsWritten = new AtomicLong();
  private final AtomicLong floodMessagesWritten = new AtomicLong();
  private final AtomicLong graftIdsReceived = new AtomicLong();
  private final AtomicLong pingsWritten = new AtomicLong();
  private ScheduledFuture<?> ticks;
  private Thread script;
  /** The raw link the script is on, closed by {@link #close} (a blocked write does not see an interrupt). */
  private volatile RawLink current;
  private volatile boolean closing;

  private HostilePeer(Behaviour behaviour, List<HostileIdentity> identities, PeerAddress victim, Options options) {
    this.behaviour = behaviour;
    this.identities = List.copyOf(identities);
    this.victim = victim;
    this.options = options;
    this.group = Transport.best().newGroup(1);
    this.loop = group.next();
  }

  /**
   * Starts attacking {@code victim} (a node's p2p address) with {@code identities}: one for most
   * behaviours, one per {@link Malformation} for {@link Behaviour#MALFORMED_AFTER_HANDSHAKE}, as
   * many as it should press with for {@link Behaviour#VIEW_PRESSURE}.
   */
  public static HostilePeer start(Behaviour behaviour, List<HostileIdentity> identities, PeerAddress victim,
      Options options) throws Exception {
    HostilePeer peer = new HostilePeer(behaviour, identities, victim, options);
    try {
      switch (behaviour) {
        case STALL_READING -> peer.runScript("stall", () -> peer.stall(identities.getFirst()));
        case MALFORMED_AFTER_HANDSHAKE -> peer.runScript("malformed", peer::sendMalformed);
        default -> peer.startPersonas();
      }
      return peer;
    } catch (Exception | Error e) {
      peer.close(); // its event loop, and whatever links it opened
      throw e;
    }
  }

  // ------------------------------------------------------------------ what the test reads

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> events(NodeId identity, Kind kind) {
    return events.stream().filter(e -> e.identity().equals(identity) && e.kind() == kind).toList();
  }

  /** Whether a dial of {@code identity} was refused with REFUSE(BANNED). */
  public boolean refusedAsBanned(NodeId identity) {
    return events(identity, Kind.DIAL_FAILED).stream().anyMatch(e -> e.detail().contains("BANNED"));
  }

  /** Invalid items written to the victim's link (queued, not necessarily read by it). */
  public long invalidItemsWritten() {
    return invalidItemsWritten.get();
  }

  /** GRAFT or IHAVE messages of the flood written to the victim. */
  public long floodMessagesWritten() {
    return floodMessagesWritten.get();
  }

  /** Item ids the victim GRAFTed from this peer, all GRAFTs together. */
  public long graftIdsReceived() {
    return graftIdsReceived.get();
  }

  /** GOSSIP payloads the victim sent, by item. */
  public Map<ItemId, Integer> payloadsReceived() {
    Map<ItemId, Integer> copy = new HashMap<>();
    payloadsReceived.forEach((id, n) -> copy.put(id, n.get()));
    return copy;
  }

  /** PINGs written while stalled. */
  public long pingsWritten() {
    return pingsWritten.get();
  }

  public List<MalformedOutcome> malformedOutcomes() {
    return List.copyOf(malformed);
  }

  /** Whether the script of a raw-link behaviour (stall, malformed frames) has finished. */
  public boolean scriptDone() {
    return script != null && !script.isAlive();
  }

  public List<NodeId> identities() {
    return identities.stream().map(HostileIdentity::id).toList();
  }

  // ------------------------------------------------------------------ identities on link managers

  private void startPersonas() throws Exception {
    loop.submit(() -> {
      for (int i = 0; i < identities.size(); i++) {
        personas.add(new Persona(identities.get(i), advertisedHost(i)));
      }
      return null;
    }).get(10, TimeUnit.SECONDS);
    for (Persona p : personas) p.listening.get(10, TimeUnit.SECONDS);
    long tick = behaviour == Behaviour.VIEW_PRESSURE ? 50 : options.floodInterval().toMillis();
    loop.execute(() -> {
      for (Persona p : personas) p.dial();
    });
    ticks = loop.scheduleAtFixedRate(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    log.info("hostile peer: {} with {} identities against {}", behaviour, personas.size(), victim);
  }

  /**
   * Where an identity says it listens. Pressing identities advertise 127.i.0.1, an address group of
   * its own each (what a sybil behind one address would do to pass the advertised-address bound;
   * on loopback the bound is off anyway); their link managers listen on 127.0.0.1 only, so whoever
   * dials them there is refused, unless a tarpit listens there ({@link SybilTactic}). The
   * others advertise where they listen, so that the victim can dial them back.
   */
  private String advertisedHost(int i) {
    return behaviour == Behaviour.VIEW_PRESSURE ? "127." + (i + 1) + ".0.1" : "127.0.0.1";
  }

  private void tick() {
    if (closing) return;
    long now = System.nanoTime();
    for (Persona p : personas) {
      if (p.banned) continue;
      if (!p.linked) {
        if (!p.dialling && now - p.lastDialNanos >= redialNanos()) p.dial();
        continue;
      }
      switch (behaviour) {
        case INVALID_ITEMS -> {
          if (p.neighbour) {
            for (int i = 0; i < options.invalidItemsPerTick(); i++) p.sendInvalidItem();
          }
        }
        case GRAFT_FLOOD -> {
          if (p.neighbour) p.sendBroadcast(graftOfSeenAndUnknownIds(p), floodMessagesWritten);
        }
        case IHAVE_FLOOD -> {
          if (p.neighbour) p.sendBroadcast(ihaveOfUnknownIds(), floodMessagesWritten);
        }
        case VIEW_PRESSURE -> {
          if (!p.neighbour && now - p.lastPressNanos >= options.pressInterval().toNanos()) p.press();
        }
        default -> throw new IllegalStateException(behaviour + " does not run on link managers");
      }
    }
  }

  private long redialNanos() {
    return behaviour == Behaviour.VIEW_PRESSURE ? options.pressInterval().toNanos() : options.redialDelay().toNanos();
  }

  /** Up to {@value #RECENT_IDS} ids of items it was sent (asked again every time), the rest unknown. */
  private Graft graftOfSeenAndUnknownIds(Persona p) {
    List<ItemId> ids = new ArrayList<>(BroadcastMessage.MAX_GRAFT_IDS);
    ids.addAll(p.recentIds);
    while (ids.size() < BroadcastMessage.MAX_GRAFT_IDS) ids.add(randomId());
    return new Graft(ids);
  }

  /** The most entries an IHAVE may carry, every id made up. */
  private IHave ihaveOfUnknownIds() {
    List<Announcement> entries = new ArrayList<>(BroadcastMessage.MAX_IHAVE_ENTRIES);
    for (int i = 0; i < BroadcastMessage.MAX_IHAVE_ENTRIES; i++) entries.add(new Announcement(randomId(), 1));
    return new IHave(entries);
  }

  private ItemId randomId() {
    return new ItemId(random.nextLong());
  }

  private void event(NodeId who, Kind kind, String detail) {
    Event e = new Event(who, kind, detail, System.nanoTime());
    events.add(e);
    log.debug("{}", e);
  }

  /** One identity: its link manager, and what it knows of its standing with the victim. */
  private final class Persona implements LinkListener {
    final HostileIdentity identity;
    final LinkManager links;
    final Future<InetSocketAddress> listening;
    final ArrayDeque<ItemId> recentIds = new ArrayDeque<>();
    NodeId victimId;
    boolean linked;
    boolean dialling;
    boolean neighbour;
    boolean joined;
    boolean banned;
    long lastDialNanos = Long.MIN_VALUE / 2;
    long lastPressNanos = Long.MIN_VALUE / 2;
    long itemsSent;
    Tarpit tarpit;

    Persona(HostileIdentity identity, String advertisedHost) {
      this.identity = identity;
      try {
        this.links = new LinkManager(identity.keys(), identity.powNonce(), LinkSettings.defaults(), loop,
            Transport.best(), IdentityPolicy.admitAll(), this);
      } catch (SSLException e) {
        throw new IllegalStateException(e);
      }
      this.listening = links.listen(new InetSocketAddress("127.0.0.1", 0), advertisedHost);
      if (behaviour == Behaviour.VIEW_PRESSURE && options.sybilTactic() == SybilTactic.CROSS_OWN_REQUESTS) {
        tarpit = Tarpit.open(advertisedHost);
      }
    }

    /** The address its JOIN and NEIGHBOR name: the tarpit's, or the one its link manager advertises. */
    PeerAddress advertised() {
      if (tarpit != null) return tarpit.address();
      return links.advertised();
    }

    void dial() {
      dialling = true;
      lastDialNanos = System.nanoTime();
      links.dial(victim, victimId);
    }

    /** JOIN the first time, NEIGHBOR(high) after: the requests a node cannot refuse for lack of room. */
    void press() {
      lastPressNanos = System.nanoTime();
      MembershipMessage request = joined ? new Neighbor(advertised(), true) : new Join(advertised());
      joined = true;
      sendMembership(request);
    }

    void sendInvalidItem() {
      long n = ++itemsSent;
      byte[] data = ("invalid " + identity.id().shortHex() + " " + n).getBytes(StandardCharsets.UTF_8);
      ItemId id = ItemId.of(identity.id(), n, options.dataType(), data);
      // the id matches the content: not a forgery, so only a local module can tell it is bad
      sendBroadcast(new Gossip(id, identity.id(), n, 0, 1, options.dataType(), data), invalidItemsWritten);
    }

    void sendBroadcast(BroadcastMessage m, AtomicLong counter) {
      if (links.send(victimId, NodeCore.CHANNEL_BROADCAST, Unpooled.wrappedBuffer(BroadcastCodec.encode(m)))) {
        counter.incrementAndGet();
      }
    }

    void sendMembership(MembershipMessage m) {
      links.send(victimId, NodeCore.CHANNEL_MEMBERSHIP, Unpooled.wrappedBuffer(MembershipCodec.encode(m)));
    }

    private boolean fromVictim(LinkInfo link) {
      return link.peer().equals(victimId);
    }

    @Override
    public void linkUp(LinkInfo link) {
      if (victimId == null && victim.equals(link.dialled())) victimId = link.peer();
      if (!fromVictim(link)) return; // an honest node dialled us back: it will ask, and be refused
      dialling = false;
      linked = true;
      event(identity.id(), Kind.LINK_UP, "");
      press();
    }

    @Override
    public void alreadyLinked(PeerAddress address, LinkInfo link) {
      dialling = false;
    }

    @Override
    public void linkDown(LinkInfo link, String reason) {
      if (!fromVictim(link)) return;
      linked = false;
      neighbour = false;
      lastDialNanos = System.nanoTime();
      event(identity.id(), Kind.LINK_DOWN, reason);
    }

    @Override
    public void dialFailed(PeerAddress address, NodeId expected, DialFailure failure, String reason) {
      dialling = false;
      event(identity.id(), Kind.DIAL_FAILED, failure + " " + reason);
      if (reason.contains("BANNED")) banned = true; // it will be refused for minutes: stop asking
    }

    @Override
    public void message(LinkInfo link, int channel, ByteBuf body) {
      ByteBuffer bytes = body.nioBuffer();
      try {
        if (channel == NodeCore.CHANNEL_MEMBERSHIP) {
          onMembership(link, MembershipCodec.decode(bytes));
        } else if (channel == NodeCore.CHANNEL_BROADCAST && fromVictim(link)) {
          onBroadcast(BroadcastCodec.decode(bytes));
        }
      } catch (MembershipDecodeException | MalformedBroadcastException e) {
        log.warn("hostile peer {}: undecodable frame from {}: {}", identity.id().shortHex(), link, e.getMessage());
      }
    }

    private void onMembership(LinkInfo link, MembershipMessage m) {
      if (!fromVictim(link)) {
        // another node ends a walk at us: refuse, so that only the victim is attacked
        if (m instanceof Neighbor) {
          links.send(link.peer(), NodeCore.CHANNEL_MEMBERSHIP,
              Unpooled.wrappedBuffer(MembershipCodec.encode(new NeighborReply(false))));
        }
        return;
      }
      switch (m) {
        case NeighborReply r -> {
          neighbour = r.accepted();
          event(identity.id(), r.accepted() ? Kind.ACCEPTED : Kind.REFUSED, "");
        }
        case Disconnect d -> {
          neighbour = false;
          event(identity.id(), Kind.EVICTED, d.leaving() ? "leaving" : "");
        }
        case Neighbor n when onlyPresses() -> sendMembership(new NeighborReply(false));
        case MergeProbe p when onlyPresses() -> sendMembership(new NeighborReply(false));
        case Neighbor n -> {
          // the victim asks for us (ending our walk, a refill, ...): gladly
          sendMembership(new NeighborReply(true));
          neighbour = true;
          event(identity.id(), Kind.ACCEPTED, "its own request");
        }
        default -> {} // walks, shuffles, probes: a mute peer lets them die here
      }
    }

    /** A pressing identity that takes no request of the victim's: it gets in by insisting only. */
    private boolean onlyPresses() {
      return behaviour == Behaviour.VIEW_PRESSURE && options.sybilTactic() == SybilTactic.PRESS_ONLY;
    }

    private void onBroadcast(BroadcastMessage m) {
      switch (m) {
        case Gossip g -> {
          payloadsReceived.computeIfAbsent(g.id(), id -> new AtomicInteger()).incrementAndGet();
          if (!recentIds.contains(g.id())) {
            recentIds.addLast(g.id());
            if (recentIds.size() > RECENT_IDS) recentIds.removeFirst();
          }
        }
        case Graft g -> graftIdsReceived.addAndGet(g.ids().size());
        default -> {} // IHAVE, PRUNE: nothing a mute peer does with them
      }
    }
  }

  // ------------------------------------------------------------------ identities on raw links

  private void runScript(String name, ThrowingRunnable body) {
    script = Thread.ofPlatform().daemon().name("hostile-" + name).start(() -> {
      try {
        body.run();
      } catch (Exception e) {
        if (!closing) log.warn("hostile peer {}: {}", name, e.toString());
      }
    });
    log.info("hostile peer: {} with {} identities against {}", behaviour, identities.size(), victim);
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  /** Where the raw-link identities say they listen: nobody does (port 9, discard), nothing dials them back. */
  private static final PeerAddress NOWHERE = new PeerAddress("127.0.0.1", 9);

  /**
   * {@link Behaviour#STALL_READING}: links with a receive window of a few KiB, JOINs, and once it
   * is a neighbour reads nothing more, while it writes PINGs, each of which an honest node answers
   * with a PONG. Writes until a write fails: the victim has closed the link.
   */
  private void stall(HostileIdentity who) throws Exception {
    try (RawLink link = RawLink.connect(who.keys(), victim, 4096)) {
      current = link;
      ControlMessage.Refuse refused = link.handshake(who.powNonce(), NOWHERE);
      if (refused != null) {
        event(who.id(), Kind.DIAL_FAILED, refused.reason() + " " + refused.detail());
        return;
      }
      event(who.id(), Kind.LINK_UP, "");
      link.sendFrame(NodeCore.CHANNEL_MEMBERSHIP, MembershipCodec.encode(new Join(NOWHERE)));
      while (true) {
        RawLink.Frame frame = link.readFrame();
        if (frame.channel() == NodeCore.CHANNEL_MEMBERSHIP
            && MembershipCodec.decode(ByteBuffer.wrap(frame.body())) instanceof NeighborReply r) {
          event(who.id(), r.accepted() ? Kind.ACCEPTED : Kind.REFUSED, "");
          if (!r.accepted()) return;
          break;
        }
      }
      event(who.id(), Kind.STALLED, "");
      long token = 1;
      while (!closing) {
        try {
          link.sendBytes(RawLink.pings(options.pingsPerWrite(), token));
        } catch (IOException e) {
          event(who.id(), Kind.LINK_DOWN, "write failed: " + e.getMessage());
          break;
        }
        token += options.pingsPerWrite();
        pingsWritten.addAndGet(options.pingsPerWrite());
        Thread.sleep(options.floodInterval()); // the attack's own pace, not a wait for anything
      }
    }
    if (closing) return;
    // and once more, to learn whether the stall cost it its standing
    try (RawLink again = RawLink.connect(who.keys(), victim, 0)) {
      current = again;
      ControlMessage.Refuse answer = again.handshake(who.powNonce(), NOWHERE);
      if (answer == null) {
        event(who.id(), Kind.LINK_UP, "again");
      } else {
        event(who.id(), Kind.DIAL_FAILED, answer.reason() + " " + answer.detail());
      }
    }
  }

  /** {@link Behaviour#MALFORMED_AFTER_HANDSHAKE}: each malformation on an up link of its own identity. */
  private void sendMalformed() {
    Malformation[] kinds = Malformation.values();
    for (int i = 0; i < kinds.length && i < identities.size() && !closing; i++) {
      HostileIdentity who = identities.get(i);
      try {
        malformed.add(malformedOnce(kinds[i], who));
      } catch (Exception e) {
        malformed.add(new MalformedOutcome(kinds[i], who.id(), null, null, e.toString()));
      }
    }
  }

  private MalformedOutcome malformedOnce(Malformation kind, HostileIdentity who) throws Exception {
    RawLink.Ending ending;
    try (RawLink link = RawLink.connect(who.keys(), victim, 0)) {
      ControlMessage.Refuse refused = link.handshake(who.powNonce(), NOWHERE);
      if (refused != null) {
        return new MalformedOutcome(kind, who.id(), null, null, "refused before the link was up: " + refused);
      }
      event(who.id(), Kind.LINK_UP, kind.toString());
      link.sendBytes(malformedBytes(kind));
      ending = link.awaitEnd(Duration.ofSeconds(5));
      event(who.id(), Kind.LINK_DOWN, ending.how() + (ending.refusal() == null ? "" : " after " + ending.refusal()));
    }
    try (RawLink again = RawLink.connect(who.keys(), victim, 0)) {
      ControlMessage.Refuse answer = again.handshake(who.powNonce(), NOWHERE);
      if (answer != null) event(who.id(), Kind.DIAL_FAILED, answer.reason() + " " + answer.detail());
      return new MalformedOutcome(kind, who.id(), ending, answer, null);
    }
  }

  /** The bytes of one malformed frame, length prefix included. */
  static byte[] malformedBytes(Malformation kind) {
    return switch (kind) {
      case UNKNOWN_CONTROL_KIND -> frame(0, new byte[] {0x7f});
      case EMPTY_FRAME -> new byte[] {0, 0, 0, 0};
      // the handshake's own message, encoded by the link's codec, where it no longer belongs
      case HELLO_ON_AN_UP_LINK -> RawLink.controlFrame(
          new ControlMessage.Hello(LinkSettings.PROTOCOL_VERSION, LinkSettings.PROTOCOL_VERSION, 0, NOWHERE));
      case OVERSIZED_LENGTH -> new byte[] {0x01, 0x00, 0x00, 0x00, 2, 3, 0, 0};
      case UNDECODABLE_MEMBERSHIP -> {
        byte[] join = MembershipCodec.encode(new Join(NOWHERE));
        join[0] = (byte) 0xEE; // no such membership kind
        yield frame(NodeCore.CHANNEL_MEMBERSHIP, join);
      }
      case BROADCAST_TRAILING_BYTES -> {
        byte[] graft = BroadcastCodec.encode(new Graft(List.of()));
        byte[] longer = Arrays.copyOf(graft, graft.length + 1);
        yield frame(NodeCore.CHANNEL_BROADCAST, longer);
      }
      case UNKNOWN_CHANNEL -> frame(9, "no layer reads this".getBytes(StandardCharsets.UTF_8));
    };
  }

  private static byte[] frame(int channel, byte[] body) {
    ByteBuffer b = ByteBuffer.allocate(5 + body.length);
    b.putInt(1 + body.length).put((byte) channel).put(body);
    return b.array();
  }

  // ------------------------------------------------------------------ stopping

  /** Stops every attack, closes every link and the peer's event loop. */
  @Override
  public void close() {
    closing = true;
    if (ticks != null) ticks.cancel(false);
    if (!personas.isEmpty()) {
      try {
        loop.submit(() -> {
          List<Future<?>> closed = new ArrayList<>();
          for (Persona p : personas) {
            closed.add(p.links.shutdown());
            if (p.tarpit != null) p.tarpit.close();
          }
          return closed;
        }).get(5, TimeUnit.SECONDS).forEach(f -> f.awaitUninterruptibly(5, TimeUnit.SECONDS));
      } catch (Exception e) {
        log.warn("hostile peer: closing its links: {}", e.toString());
      }
    }
    if (script != null) {
      RawLink link = current;
      if (link != null) {
        try {
          link.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      script.interrupt();
      try {
        script.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
