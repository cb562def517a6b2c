package voidphone.gossip.core.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static voidphone.gossip.core.membership.Peers.peer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.broadcast.ItemId;
import voidphone.gossip.core.membership.MembershipMessage.Disconnect;
import voidphone.gossip.core.membership.MembershipMessage.ForwardJoin;
import voidphone.gossip.core.membership.MembershipMessage.Join;
import voidphone.gossip.core.membership.MembershipMessage.MergeProbe;
import voidphone.gossip.core.membership.MembershipMessage.Neighbor;
import voidphone.gossip.core.membership.MembershipMessage.NeighborReply;
import voidphone.gossip.core.membership.MembershipMessage.Shuffle;
import voidphone.gossip.core.membership.MembershipMessage.ShuffleReply;

class MembershipCodecTest {
  /** Override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 20240611L);

  private static final Peer IPV6 =
      new Peer(NodeId.fromHex("ab".repeat(32)), new PeerAddress("2001:db8::7", 65535));
  private static final Peer NAMED =
      new Peer(new NodeId(-1, 2, -3, 4), new PeerAddress("peer-ü.example.org", 1));

  static Stream<MembershipMessage> everyKind() {
    List<Peer> full = IntStream.range(0, MembershipMessage.MAX_ENTRIES).mapToObj(Peers::peer).toList();
    return Stream.of(
        new Join(peer(1).address()),
        new Join(IPV6.address()),
        new ForwardJoin(peer(2), 0),
        new ForwardJoin(NAMED, 255),
        new Neighbor(peer(3).address(), true),
        new Neighbor(IPV6.address(), false),
        new NeighborReply(true),
        new NeighborReply(false),
        new Disconnect(true),
        new Disconnect(false),
        new Shuffle(peer(4), 6, List.of(peer(5), IPV6, NAMED)),
        new Shuffle(peer(4), 0, List.of()),
        new Shuffle(NAMED, 1, full),
        new ShuffleReply(List.of()),
        new ShuffleReply(full),
        new MergeProbe(peer(6).address(), null, List.of(), List.of()),
        new MergeProbe(IPV6.address(), NAMED, List.of(NAMED.id(), IPV6.id()), List.of(new ItemId(0x12))),
        new MergeProbe(NAMED.address(), IPV6, full.stream().map(Peer::id).toList(),
            IntStream.range(0, MembershipMessage.MAX_EVIDENCE).mapToObj(i -> new ItemId(i)).toList()));
  }

  @ParameterizedTest
  @MethodSource("everyKind")
  void everyMessageSurvivesARoundTrip(MembershipMessage message) throws Exception {
    byte[] bytes = MembershipCodec.encode(message);

    assertThat(bytes).hasSize(MembershipCodec.encodedLength(message));
    assertThat(MembershipCodec.decode(ByteBuffer.wrap(bytes))).isEqualTo(message);
  }

  @Test
  void aHostsCountedLengthIsItsUtf8EncodingsLengthForEveryKindOfCharacter() {
    // ASCII, two- and three-byte characters, a surrogate pair, and unpaired surrogates (which
    // getBytes encodes as one replacement byte each)
    List<String> hosts = new ArrayList<>(List.of("10.0.0.1", "h\u00e9te", "\u20ac.example", "x\uD83D\uDE00y",
        "\uD83D", "a\uDE00", "\uDE00\uD83D"));
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 1_000; i++) {
      char[] chars = new char[1 + random.nextInt(12)];
      for (int j = 0; j < chars.length; j++) chars[j] = (char) random.nextInt(Character.MAX_VALUE + 1);
      hosts.add(new String(chars));
    }

    assertThat(hosts).allSatisfy(host ->
        assertThat(MembershipCodec.utf8Length(host)).as(host).isEqualTo(host.getBytes(StandardCharsets.UTF_8).length));
  }

  @Test
  void everyKindFitsTheDocumentedMaximum() {
    assertThat(everyKind()).allSatisfy(
        m -> assertThat(MembershipCodec.encodedLength(m)).isLessThanOrEqualTo(MembershipCodec.MAX_ENCODED_LENGTH));
  }

  @Test
  void neighborHasTheDocumentedLayout() {
    byte[] bytes = MembershipCodec.encode(new Neighbor(new PeerAddress("10.0.0.1", 7000), true));

    // kind 3, priority high, host length 8, "10.0.0.1", port 7000
    assertThat(HexFormat.of().formatHex(bytes)).isEqualTo("030108" + "31302e302e302e31" + "1b58");
  }

  @Test
  void shuffleReplyHasTheDocumentedLayout() {
    Peer entry = new Peer(new NodeId(1, 2, 3, 4), new PeerAddress("h", 1));
    byte[] bytes = MembershipCodec.encode(new ShuffleReply(List.of(entry)));

    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo("07" + "01"
            + "0000000000000001" + "0000000000000002" + "0000000000000003" + "0000000000000004"
            + "01" + "68" + "0001");
  }

  @Test
  void mergeProbeHasTheDocumentedLayout() {
    NodeId neighbor = NodeId.fromHex("00".repeat(31) + "2a");
    byte[] bytes = MembershipCodec.encode(
        new MergeProbe(new PeerAddress("10.0.0.1", 7000), null, List.of(neighbor), List.of()));

    // kind 8, host length 8, "10.0.0.1", port 7000, no handover, one id, no item
    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo("0808" + "31302e302e302e31" + "1b58" + "00" + "01" + "00".repeat(31) + "2a" + "00");
    assertThat(bytes).hasSize(47);
  }

  @Test
  void mergeProbeWithAHandoverCarriesItAsAPeerAfterTheFlag() {
    Peer handover = new Peer(new NodeId(1, 2, 3, 4), new PeerAddress("h", 1));
    byte[] bytes = MembershipCodec.encode(new MergeProbe(new PeerAddress("h", 2), handover, List.of(), List.of()));

    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo("08" + "01" + "68" + "0002" + "01"
            + "0000000000000001" + "0000000000000002" + "0000000000000003" + "0000000000000004"
            + "01" + "68" + "0001" + "00" + "00");
  }

  @Test
  void mergeProbeCarriesItsItemIdsLast() {
    byte[] bytes = MembershipCodec.encode(
        new MergeProbe(new PeerAddress("h", 2), null, List.of(), List.of(new ItemId(0x12))));

    assertThat(HexFormat.of().formatHex(bytes))
        .isEqualTo("08" + "01" + "68" + "0002" + "00" + "00" + "01" + "0000000000000012");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "", // no kind
    "00", // kind 0
    "09", // kind 9
    "0801611b580021", // MERGE_PROBE announcing 33 ids: over the bound, refused before reading them
    "0801611b580001", // MERGE_PROBE announcing one id, none there
    "0801611b58000009", // MERGE_PROBE announcing 9 items: over the bound
    "0801611b58000001", // MERGE_PROBE announcing one item, none there
    "0801611b580000", // MERGE_PROBE without its item count
    "0801611b58000100", // MERGE_PROBE whose one id is cut short
    "0801611b5802", // MERGE_PROBE handover flag 2
    "0801611b5801", // MERGE_PROBE announcing a handover, none there
    "ff",
    "0401ff", // byte after a complete NEIGHBOR_REPLY
    "0402", // flag byte 2
    "0580", // reserved DISCONNECT bit
    "0100", // empty host
    "01016100", // port cut off
    "0101610000", // port 0
    "010161", // port missing
    "0102ffff1b58", // host not UTF-8
    "010261201b58", // host with a space
    "0102610a1b58", // host with a newline
    "0721", // 33 entries announced: over the bound, refused before reading them
    "07ff", // 255 entries announced
    "0701", // one entry announced, none there
    "0201" // FORWARD_JOIN without its peer
  })
  void malformedInputIsRefusedWithTheCheckedException(String hex) {
    ByteBuffer in = ByteBuffer.wrap(HexFormat.of().parseHex(hex));

    assertThatThrownBy(() -> MembershipCodec.decode(in))
        .isInstanceOf(MembershipDecodeException.class)
        .hasMessageNotContaining("null");
  }

  @Test
  void hostThatCannotBeCarriedIsRefusedWhenEncoding() {
    String longHost = "é".repeat(200); // 200 chars, 400 UTF-8 bytes

    assertThatThrownBy(() -> MembershipCodec.encode(new Join(new PeerAddress(longHost, 1))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MembershipCodec.encode(new Join(new PeerAddress("a\nb", 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** Random bytes: either a message or the checked exception, never anything else. */
  @Test
  void randomBytesNeverThrowAnythingButTheCheckedException() {
    SplittableRandom random = new SplittableRandom(SEED);
    int decoded = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] bytes = new byte[random.nextInt(64)];
      random.nextBytes(bytes);
      if (bytes.length > 0) {
        bytes[0] = (byte) random.nextInt(10); // mostly real kinds, so decoding goes deep
      }
      decoded += decodesCanonically(bytes) ? 1 : 0;
    }
    assertThat(decoded).as("some random inputs are valid messages").isPositive();
  }

  /** Valid encodings with bytes flipped, cut short or extended. */
  @Test
  void mutatedMessagesNeverThrowAnythingButTheCheckedException() {
    SplittableRandom random = new SplittableRandom(SEED + 1);
    List<byte[]> valid = new ArrayList<>();
    everyKind().forEach(m -> valid.add(MembershipCodec.encode(m)));
    for (int i = 0; i < 100_000; i++) {
      byte[] original = valid.get(random.nextInt(valid.size()));
      byte[] bytes = switch (random.nextInt(3)) {
        case 0 -> java.util.Arrays.copyOf(original, random.nextInt(original.length + 1));
        case 1 -> java.util.Arrays.copyOf(original, original.length + 1 + random.nextInt(4));
        default -> original.clone();
      };
      int flips = 1 + random.nextInt(3);
      for (int k = 0; k < flips && bytes.length > 0; k++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      decodesCanonically(bytes);
    }
  }

  /**
   * Decodes {@code bytes}; if that works, encoding the result must give the same bytes back
   * (decoding is canonical). Any exception other than the checked one fails the test.
   */
  private static boolean decodesCanonically(byte[] bytes) {
    MembershipMessage message;
    try {
      message = MembershipCodec.decode(ByteBuffer.wrap(bytes));
    } catch (MembershipDecodeException expected) {
      return false;
    }
    assertThat(MembershipCodec.encode(message)).isEqualTo(bytes);
    return true;
  }
}
