package voidphone.gossip.fuzz;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.core.NodeCore;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.Announcement;
import voidphone.gossip.core.broadcast.BroadcastCodec;
import voidphone.gossip.core.broadcast.BroadcastMessage;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipCodec;
import voidphone.gossip.core.membership.MembershipMessage;
import voidphone.gossip.link.ControlCodecAccess;
import voidphone.gossip.link.ControlMessage;

/**
 * The seed corpus of the fuzz tests, made with the project's own encoders: a valid encoding of
 * every message type of each decoder, and edge cases derived from them (cut short, a length or
 * count claiming more than is there or more than the limit, fields out of range, trailing bytes).
 * The empty input needs no file: Jazzer always runs it.
 *
 * <p>Files are laid out as Jazzer's JUnit integration reads them in regression mode, {@code
 * <TestClass>Inputs/<testMethod>/<name>} beside the test class on the class path, one raw input
 * each. Regenerate after changing an encoder or this class with {@code ./bench fuzz --write-seeds}
 * (runs {@link #main}); {@code SeedCorpusTest} fails while the files in the repository differ.
 */
public final class SeedCorpus {
  /** Where the corpus is kept, from the repository root. */
  public static final Path ROOT = Path.of("src/test/resources/voidphone/gossip/fuzz");

  /** One seed: the inputs directory of its fuzz test, relative to {@link #ROOT}, and its file name. */
  public record Seed(String directory, String name, byte[] bytes) {
    public Path path() {
      return Path.of(directory, name);
    }
  }

  private SeedCorpus() {}

  /** Writes every seed under the directory given (default {@link #ROOT}), replacing files of the same name. */
  public static void main(String[] args) throws IOException {
    Path root = args.length > 0 ? Path.of(args[0]) : ROOT;
    List<Seed> seeds = seeds();
    for (Seed seed : seeds) {
      Path file = root.resolve(seed.path());
      Files.createDirectories(file.getParent());
      Files.write(file, seed.bytes());
    }
    System.out.println("wrote " + seeds.size() + " seeds under " + root);
  }

  public static List<Seed> seeds() {
    List<Seed> seeds = new ArrayList<>();
    moduleStream(new Seeds(seeds, ApiDecoderFuzzTest.class, "moduleStreamDecodesOrClosesTheConnection"));
    serverFrame(new Seeds(seeds, ApiDecoderFuzzTest.class, "serverFrameDecodesToANotificationOrIsMalformed"));
    linkControl(new Seeds(seeds, LinkControlDecoderFuzzTest.class, "anyBodyDecodesOrIsAProtocolViolation"));
    membership(new Seeds(seeds, MembershipDecoderFuzzTest.class, "anyBodyDecodesCanonicallyOrIsMalformed"));
    broadcast(new Seeds(seeds, BroadcastDecoderFuzzTest.class, "anyBodyDecodesCanonicallyOrIsMalformed"));
    peerFrames(new Seeds(seeds, PeerFrameFuzzTest.class, "anyFrameFromANeighbourIsHandledOrBlamedOnIt"));
    return seeds;
  }

  // ------------------------------------------------------------------ API

  private static void moduleStream(Seeds s) {
    byte[] announce = ApiWire.encode(new ApiMessage.Announce(3, 40000, "hello".getBytes(StandardCharsets.US_ASCII)));
    byte[] notify = ApiWire.encode(new ApiMessage.Notify(7));
    byte[] validation = ApiWire.encode(new ApiMessage.Validation(5, true));
    s.add("announce", announce);
    s.add("announce-largest-ttl-and-type", ApiWire.encode(new ApiMessage.Announce(255, 65535, new byte[] {0})));
    s.add("notify", notify);
    s.add("validation-valid", validation);
    s.add("validation-invalid", ApiWire.encode(new ApiMessage.Validation(65535, false)));
    s.add("validation-reserved-bits-set", patch(validation, 6, 0xFF, 0xFF));
    s.add("announce-reserved-byte-set", patch(announce, 5, 0xFF));
    s.add("session-notify-announce-validation", concat(notify, announce, validation));
    s.add("announce-truncated", cut(announce, announce.length - 1));
    s.add("announce-then-notify-truncated", concat(announce, cut(notify, 5)));
    s.add("announce-without-data", cut(patchSize(announce, ApiMessage.FIXED_SIZE), ApiMessage.FIXED_SIZE));
    s.add("notify-of-wrong-size", concat(patchSize(notify, ApiMessage.FIXED_SIZE + 1), new byte[] {0}));
    s.add("notification-from-a-module", ApiWire.encode(new ApiMessage.Notification(1, 7, new byte[] {1})));
    s.add("unknown-type", patchType(notify, 600));
    s.add("size-below-header", cut(patchSize(notify, ApiMessage.HEADER_SIZE - 1), ApiMessage.HEADER_SIZE));
    s.add("size-claims-more-than-sent", patchSize(announce, ApiMessage.MAX_SIZE));
  }

  private static void serverFrame(Seeds s) {
    // the fuzz test takes an input's length as its size (what a client reads), so no seed claims another
    byte[] notification = ApiWire.encode(new ApiMessage.Notification(1, 40000, "hello".getBytes(StandardCharsets.US_ASCII)));
    s.add("notification", notification);
    s.add("notification-largest-id-and-type", ApiWire.encode(new ApiMessage.Notification(65535, 65535, new byte[] {0})));
    s.add("notification-without-data", cut(patchSize(notification, ApiMessage.FIXED_SIZE), ApiMessage.FIXED_SIZE));
    s.add("header-only", cut(patchSize(notification, ApiMessage.HEADER_SIZE), ApiMessage.HEADER_SIZE));
    s.add("announce-instead", ApiWire.encode(new ApiMessage.Announce(3, 7, new byte[] {1})));
    s.add("validation-instead", ApiWire.encode(new ApiMessage.Validation(1, true)));
  }

  private static byte[] patchSize(byte[] frame, int size) {
    return patch(frame, 0, size >> 8, size);
  }

  private static byte[] patchType(byte[] frame, int type) {
    return patch(frame, 2, type >> 8, type);
  }

  // ------------------------------------------------------------------ link control

  private static void linkControl(Seeds s) {
    byte[] hello = ControlCodecAccess.encode(
        new ControlMessage.Hello(2, 2, 0x0123456789ABCDEFL, new PeerAddress("127.0.0.1", 7001)));
    // the listen address comes last: u8 host length, host, u16 port
    int hostLengthAt = hello.length - 2 - "127.0.0.1".length() - 1;
    byte[] ping = ControlCodecAccess.encode(new ControlMessage.Ping(0x1122334455667788L));
    byte[] refuse = ControlCodecAccess.encode(new ControlMessage.Refuse(ControlMessage.Reason.BANNED, "banned for 600 s"));
    s.add("hello-ipv4", hello);
    s.add("hello-ipv6-version-range", ControlCodecAccess.encode(
        new ControlMessage.Hello(1, 3, -1, new PeerAddress("2001:db8::7", 65535))));
    s.add("hello-dns-name", ControlCodecAccess.encode(
        new ControlMessage.Hello(2, 2, 42, new PeerAddress("peer-7.example.org", 1))));
    s.add("hello-wildcard", ControlCodecAccess.encode(new ControlMessage.Hello(2, 2, 0, new PeerAddress("0.0.0.0", 7000))));
    s.add("accept", ControlCodecAccess.encode(new ControlMessage.Accept()));
    s.add("ping", ping);
    s.add("pong", ControlCodecAccess.encode(new ControlMessage.Pong(-1)));
    for (ControlMessage.Reason reason : ControlMessage.Reason.values()) {
      s.add("refuse-" + reason.name().toLowerCase().replace('_', '-'),
          ControlCodecAccess.encode(new ControlMessage.Refuse(reason, reason.name().toLowerCase())));
    }
    s.add("refuse-unknown-reason", patch(refuse, 1, 200));
    s.add("refuse-longest-detail", ControlCodecAccess.encode(
        new ControlMessage.Refuse(ControlMessage.Reason.OTHER, "x".repeat(ControlCodecAccess.MAX_DETAIL_BYTES))));
    s.add("refuse-detail-claims-more-than-sent", patch(refuse, 2, 255));
    s.add("hello-bad-magic", patch(hello, 1, 0));
    s.add("hello-truncated", cut(hello, hello.length - 1));
    s.add("hello-host-claims-more-than-sent", patch(hello, hostLengthAt, 255));
    s.add("hello-empty-host", concat(cut(hello, hostLengthAt), new byte[] {0}, tail(hello, 2)));
    s.add("hello-host-not-utf8", patch(hello, hostLengthAt + 1, 0xFF));
    s.add("hello-host-with-newline", patch(hello, hostLengthAt + 1, '\n'));
    s.add("hello-port-0", patch(hello, hello.length - 2, 0, 0));
    s.add("ping-trailing-byte", concat(ping, new byte[] {0}));
    s.add("ping-truncated", cut(ping, 5));
    s.add("unknown-kind", new byte[] {(byte) 9});
  }

  // ------------------------------------------------------------------ membership

  private static final Peer IPV4 = new Peer(new NodeId(0x0102030405060708L, 0, 0, 9), new PeerAddress("10.1.2.3", 7000));
  private static final Peer IPV6 = new Peer(new NodeId(-1, -2, -3, -4), new PeerAddress("2001:db8::7", 65535));
  private static final Peer NAMED = new Peer(new NodeId(5, 6, 7, 8), new PeerAddress("peer-ü.example.org", 1));

  private static void membership(Seeds s) {
    byte[] join = MembershipCodec.encode(new MembershipMessage.Join(IPV4.address()));
    byte[] neighbor = MembershipCodec.encode(new MembershipMessage.Neighbor(IPV4.address(), true));
    byte[] emptyShuffle = MembershipCodec.encode(new MembershipMessage.Shuffle(IPV4, 3, List.of()));
    List<Peer> full = IntStream.range(0, MembershipMessage.MAX_ENTRIES)
        .mapToObj(i -> new Peer(new NodeId(i, i, i, i), new PeerAddress("10.7." + i + ".1", 7000 + i)))
        .toList();
    s.add("join", join);
    s.add("join-ipv6", MembershipCodec.encode(new MembershipMessage.Join(IPV6.address())));
    s.add("forward-join", MembershipCodec.encode(new MembershipMessage.ForwardJoin(NAMED, 6)));
    s.add("neighbor-high-priority", neighbor);
    s.add("neighbor-low-priority", MembershipCodec.encode(new MembershipMessage.Neighbor(IPV6.address(), false)));
    s.add("neighbor-reply-accepted", MembershipCodec.encode(new MembershipMessage.NeighborReply(true)));
    s.add("neighbor-reply-refused", MembershipCodec.encode(new MembershipMessage.NeighborReply(false)));
    s.add("disconnect-leaving", MembershipCodec.encode(new MembershipMessage.Disconnect(true)));
    s.add("disconnect-staying", MembershipCodec.encode(new MembershipMessage.Disconnect(false)));
    s.add("shuffle", MembershipCodec.encode(new MembershipMessage.Shuffle(IPV4, 3, List.of(IPV6, NAMED))));
    s.add("shuffle-full", MembershipCodec.encode(new MembershipMessage.Shuffle(NAMED, 255, full)));
    s.add("shuffle-reply", MembershipCodec.encode(new MembershipMessage.ShuffleReply(List.of(IPV4, IPV6, NAMED))));
    s.add("shuffle-reply-empty", MembershipCodec.encode(new MembershipMessage.ShuffleReply(List.of())));
    s.add("merge-probe", MembershipCodec.encode(new MembershipMessage.MergeProbe(IPV4.address(), null, List.of(), List.of())));
    s.add("merge-probe-with-handover-and-evidence", MembershipCodec.encode(new MembershipMessage.MergeProbe(
        IPV6.address(), NAMED, List.of(IPV4.id(), NAMED.id()), List.of(new ItemId(0x12), new ItemId(-0x34)))));
    // edge cases: counts over the cap or claiming more than is there, bad flags and hosts
    s.add("shuffle-entry-count-over-cap", patch(emptyShuffle, emptyShuffle.length - 1, MembershipMessage.MAX_ENTRIES + 1));
    s.add("shuffle-claims-the-most-entries", patch(emptyShuffle, emptyShuffle.length - 1, MembershipMessage.MAX_ENTRIES));
    s.add("join-host-claims-more-than-sent", patch(join, 1, 255));
    s.add("join-empty-host", concat(cut(join, 1), new byte[] {0}, tail(join, 2)));
    s.add("join-host-not-utf8", patch(join, 2, 0xC3));
    s.add("join-host-with-newline", patch(join, 2, '\n'));
    s.add("join-port-0", patch(join, join.length - 2, 0, 0));
    s.add("join-truncated", cut(join, join.length - 1));
    s.add("join-trailing-byte", concat(join, new byte[] {0}));
    s.add("neighbor-priority-flag-2", patch(neighbor, 1, 2));
    s.add("unknown-kind", new byte[] {(byte) (MembershipCodec.MERGE_PROBE + 1)});
  }

  // ------------------------------------------------------------------ broadcast

  private static final NodeId ORIGIN = new NodeId(0x0102030405060708L, 0, 0, 0x1112131415161718L);

  static BroadcastMessage.Gossip gossip(int ttl, int hops, int dataType, byte[] data) {
    return new BroadcastMessage.Gossip(ItemId.of(ORIGIN, 5, dataType, data), ORIGIN, 5, ttl, hops, dataType, data);
  }

  private static void broadcast(Seeds s) {
    byte[] data = "hello".getBytes(StandardCharsets.US_ASCII);
    byte[] gossip = BroadcastCodec.encode(gossip(6, 1, 40000, data));
    int lengthAt = gossip.length - data.length - 2; // ... hops u16, data type u16, data length u16, data
    int hopsAt = lengthAt - 4;
    byte[] ihave = BroadcastCodec.encode(new BroadcastMessage.IHave(List.of(
        new Announcement(new ItemId(0x12), 4), new Announcement(new ItemId(-0x12), 255))));
    byte[] graft = BroadcastCodec.encode(new BroadcastMessage.Graft(List.of(new ItemId(0x12), new ItemId(0x34))));
    byte[] prune = BroadcastCodec.encode(new BroadcastMessage.Prune());
    s.add("gossip", gossip);
    s.add("gossip-largest-ttl-hops-and-type", BroadcastCodec.encode(gossip(255, 65535, 65535, new byte[] {0})));
    s.add("ihave", ihave);
    s.add("graft", graft);
    s.add("graft-empty", BroadcastCodec.encode(new BroadcastMessage.Graft(List.of())));
    s.add("prune", prune);
    s.add("gossip-claims-the-largest-data", patch(gossip, lengthAt, BroadcastMessage.MAX_DATA >> 8, BroadcastMessage.MAX_DATA));
    s.add("gossip-data-length-over-cap", patch(gossip, lengthAt, 0xFF, 0xFF));
    s.add("gossip-without-data", cut(patch(gossip, lengthAt, 0, 0), lengthAt + 2));
    s.add("gossip-hop-count-0", patch(gossip, hopsAt, 0, 0));
    s.add("gossip-truncated", cut(gossip, gossip.length - 1));
    s.add("ihave-claims-the-most-entries", patch(ihave, 1, BroadcastMessage.MAX_IHAVE_ENTRIES >> 8, BroadcastMessage.MAX_IHAVE_ENTRIES));
    s.add("ihave-count-over-cap", patch(ihave, 1, 0xFF, 0xFF));
    s.add("ihave-empty", cut(patch(ihave, 1, 0, 0), 3));
    s.add("graft-count-over-cap", patch(graft, 1, 0, BroadcastMessage.MAX_GRAFT_IDS + 1));
    s.add("prune-trailing-byte", concat(prune, new byte[] {0}));
    s.add("unknown-kind", new byte[] {(byte) 9});
  }

  // ------------------------------------------------------------------ whole peer frames

  private static void peerFrames(Seeds s) {
    BroadcastMessage.Gossip item = gossip(6, 1, 40000, "hello".getBytes(StandardCharsets.US_ASCII));
    Peer stranger = new Peer(new NodeId(9, 0, 0, 0), new PeerAddress("10.0.9.1", 7000));
    PeerFrameFuzzTest.Frame gossip = broadcastFrame(item);
    s.add("gossip", PeerFrameFuzzTest.input(gossip));
    s.add("gossip-then-graft-for-it", PeerFrameFuzzTest.input(gossip,
        broadcastFrame(new BroadcastMessage.Graft(List.of(item.id())))));
    s.add("gossip-twice-then-prune", PeerFrameFuzzTest.input(gossip, gossip, broadcastFrame(new BroadcastMessage.Prune())));
    s.add("gossip-forged-id", PeerFrameFuzzTest.input(broadcastFrame(new BroadcastMessage.Gossip(
        new ItemId(0x12), item.origin(), item.nonce(), item.ttl(), item.hops(), item.dataType(), item.data()))));
    s.add("ihave-then-gossip", PeerFrameFuzzTest.input(
        broadcastFrame(new BroadcastMessage.IHave(List.of(new Announcement(item.id(), 1)))), gossip));
    s.add("graft-for-unknown-items", PeerFrameFuzzTest.input(
        broadcastFrame(new BroadcastMessage.Graft(List.of(new ItemId(0x12), new ItemId(0x34))))));
    s.add("shuffle", PeerFrameFuzzTest.input(membershipFrame(
        new MembershipMessage.Shuffle(stranger, 3, List.of(IPV4, IPV6, NAMED)))));
    s.add("shuffle-ending-here", PeerFrameFuzzTest.input(membershipFrame(
        new MembershipMessage.Shuffle(stranger, 0, List.of(IPV4)))));
    s.add("forward-join", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.ForwardJoin(stranger, 6))));
    s.add("forward-join-ending-here", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.ForwardJoin(stranger, 0))));
    s.add("shuffle-reply", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.ShuffleReply(List.of(IPV6, NAMED)))));
    s.add("neighbor-then-disconnect", PeerFrameFuzzTest.input(
        membershipFrame(new MembershipMessage.Neighbor(PeerFrameFuzzTest.SENDER.address(), false)),
        membershipFrame(new MembershipMessage.Disconnect(false))));
    s.add("join", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.Join(PeerFrameFuzzTest.SENDER.address()))));
    s.add("neighbor-reply", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.NeighborReply(true))));
    s.add("merge-probe", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.MergeProbe(
        PeerFrameFuzzTest.SENDER.address(), stranger, List.of(IPV4.id()), List.of(item.id())))));
    s.add("disconnect-leaving", PeerFrameFuzzTest.input(membershipFrame(new MembershipMessage.Disconnect(true))));
    s.add("undecodable-membership-then-gossip", PeerFrameFuzzTest.input(
        new PeerFrameFuzzTest.Frame(NodeCore.CHANNEL_MEMBERSHIP, new byte[] {0}), gossip));
    s.add("empty-broadcast-frame", PeerFrameFuzzTest.input(new PeerFrameFuzzTest.Frame(NodeCore.CHANNEL_BROADCAST, new byte[0])));
    s.add("link-control-channel", PeerFrameFuzzTest.input(new PeerFrameFuzzTest.Frame(0,
        ControlCodecAccess.encode(new ControlMessage.Ping(1)))));
    s.add("unknown-channel", PeerFrameFuzzTest.input(new PeerFrameFuzzTest.Frame(3, gossip.body())));
  }

  private static PeerFrameFuzzTest.Frame membershipFrame(MembershipMessage m) {
    return new PeerFrameFuzzTest.Frame(NodeCore.CHANNEL_MEMBERSHIP, MembershipCodec.encode(m));
  }

  private static PeerFrameFuzzTest.Frame broadcastFrame(BroadcastMessage m) {
    return new PeerFrameFuzzTest.Frame(NodeCore.CHANNEL_BROADCAST, BroadcastCodec.encode(m));
  }

  // ------------------------------------------------------------------ helpers

  /** Collects the seeds of one fuzz test; its method is looked up so that a rename cannot orphan them. */
  private record Seeds(List<Seed> into, String directory) {
    Seeds(List<Seed> into, Class<?> test, String method) {
      this(into, directory(test, method));
    }

    private static String directory(Class<?> test, String method) {
      try {
        test.getDeclaredMethod(method, byte[].class);
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(test.getSimpleName() + " has no fuzz test " + method, e);
      }
      return test.getSimpleName() + "Inputs/" + method;
    }

    void add(String name, byte[] bytes) {
      into.add(new Seed(directory, name, bytes));
    }
  }

  private static byte[] cut(byte[] bytes, int length) {
    return Arrays.copyOf(bytes, length);
  }

  private static byte[] tail(byte[] bytes, int length) {
    return Arrays.copyOfRange(bytes, bytes.length - length, bytes.length);
  }

  /** {@code bytes} with the bytes from {@code offset} on replaced by the low bytes of {@code values}. */
  private static byte[] patch(byte[] bytes, int offset, int... values) {
    byte[] patched = bytes.clone();
    for (int i = 0; i < values.length; i++) {
      patched[offset + i] = (byte) values[i];
    }
    return patched;
  }

  private static byte[] concat(byte[]... parts) {
    ByteBuffer out = ByteBuffer.allocate(Arrays.stream(parts).mapToInt(p -> p.length).sum());
    for (byte[] p : parts) {
      out.put(p);
    }
    return out.array();
  }
}
