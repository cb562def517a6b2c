package voidphone.gossip.core.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

class BroadcastCodecTest {
  private static final long SEED = Long.getLong("gossip.test.seed", 7);
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static final NodeId ORIGIN = new NodeId(0x0102030405060708L, 0, 0, 0x1112131415161718L);

  private static Gossip gossip(int ttl, int hops, int type, byte[] data) {
    return new Gossip(ItemId.of(ORIGIN, 5, type, data), ORIGIN, 5, ttl, hops, type, data);
  }

  private static BroadcastMessage decode(byte[] frame) throws MalformedBroadcastException {
    return BroadcastCodec.decode(ByteBuffer.wrap(frame));
  }

  static Stream<BroadcastMessage> everyKindAtItsLimits() {
    List<Announcement> most = new ArrayList<>();
    List<ItemId> ids = new ArrayList<>();
    for (int i = 0; i < BroadcastMessage.MAX_IHAVE_ENTRIES; i++) {
      most.add(new Announcement(new ItemId(i), 1 + i % 255));
    }
    for (int i = 0; i < BroadcastMessage.MAX_GRAFT_IDS; i++) {
      ids.add(new ItemId(-i));
    }
    return Stream.of(
        gossip(0, 1, 0, new byte[] {42}),
        gossip(255, 65535, 65535, new byte[BroadcastMessage.MAX_DATA]),
        new IHave(List.of(new Announcement(new ItemId(0x12), 4))),
        new IHave(most),
        new Graft(List.of()),
        new Graft(ids),
        new Prune());
  }

  @ParameterizedTest
  @MethodSource("everyKindAtItsLimits")
  void messageRoundTripsAndHasItsAnnouncedSize(BroadcastMessage message) throws Exception {
    byte[] frame = BroadcastCodec.encode(message);

    assertThat(frame).hasSize(BroadcastCodec.encodedSize(message));
    assertThat(decode(frame)).isEqualTo(message);
  }

  @Test
  void largestGossipIsExactlyTheDocumentedMaximumFrame() {
    byte[] frame = BroadcastCodec.encode(gossip(0, 1, 1, new byte[BroadcastMessage.MAX_DATA]));

    assertThat(frame).hasSize(BroadcastCodec.MAX_ENCODED_SIZE).hasSize(65_583);
  }

  @Test
  void gossipLayoutMatchesTheDocumentByteForByte() {
    Gossip g = new Gossip(new ItemId(0xA1B2L), ORIGIN, 0xC3L, 4, 0x0102, 0x0539, new byte[] {(byte) 0xEE});

    assertThat(HEX.formatHex(BroadcastCodec.encode(g)))
        .isEqualTo("01"
            + " 00 00 00 00 00 00 a1 b2" // id
            + " 01 02 03 04 05 06 07 08 00 00 00 00 00 00 00 00" // origin
            + " 00 00 00 00 00 00 00 00 11 12 13 14 15 16 17 18"
            + " 00 00 00 00 00 00 00 c3" // nonce
            + " 04 01 02 05 39 00 01 ee"); // ttl, hops, type, length, data
  }

  @Test
  void controlLayoutsMatchTheDocumentByteForByte() {
    IHave ihave = new IHave(List.of(new Announcement(new ItemId(1), 3)));

    assertThat(HEX.formatHex(BroadcastCodec.encode(ihave)))
        .isEqualTo("02 00 01 00 00 00 00 00 00 00 01 03");
    assertThat(HEX.formatHex(BroadcastCodec.encode(new Graft(List.of())))).isEqualTo("03 00 00");
    assertThat(HEX.formatHex(BroadcastCodec.encode(new Prune()))).isEqualTo("04");
  }

  @Test
  void ihaveCountAboveTheCapIsRejectedBeforeReadingEntries() {
    // claims 1025 entries but carries none: the count alone must condemn it
    assertThatThrownBy(() -> decode(HEX.parseHex("02 04 01")))
        .isInstanceOf(MalformedBroadcastException.class)
        .hasMessageContaining("IHAVE count 1025");
  }

  @Test
  void emptyIhaveIsRejected() {
    assertThatThrownBy(() -> decode(HEX.parseHex("02 00 00")))
        .isInstanceOf(MalformedBroadcastException.class);
  }

  @Test
  void graftCountAboveTheCapIsRejected() {
    assertThatThrownBy(() -> decode(HEX.parseHex("03 00 41")))
        .isInstanceOf(MalformedBroadcastException.class)
        .hasMessageContaining("GRAFT count 65");
  }

  @Test
  void gossipWithoutDataIsRejected() {
    byte[] frame = BroadcastCodec.encode(gossip(0, 1, 1, new byte[] {1}));
    byte[] empty = java.util.Arrays.copyOf(frame, frame.length - 1);
    empty[empty.length - 1] = 0; // length 0

    assertThatThrownBy(() -> decode(empty))
        .isInstanceOf(MalformedBroadcastException.class)
        .hasMessageContaining("data length 0");
  }

  @Test
  void gossipClaimingMoreDataThanTheFrameHoldsIsRejected() {
    byte[] frame = BroadcastCodec.encode(gossip(0, 1, 1, new byte[] {1, 2}));
    frame[frame.length - 3] = (byte) 0xFF; // length 0xFF02

    assertThatThrownBy(() -> decode(frame)).isInstanceOf(MalformedBroadcastException.class);
  }

  @Test
  void gossipWithHopCountZeroIsRejected() {
    byte[] frame = BroadcastCodec.encode(gossip(0, 1, 1, new byte[] {1}));
    frame[1 + ItemId.BYTES + 32 + 8 + 1 + 1] = 0; // hops low byte: hops = 0

    assertThatThrownBy(() -> decode(frame))
        .isInstanceOf(MalformedBroadcastException.class)
        .hasMessageContaining("hop count 0");
  }

  @Test
  void trailingBytesAreRejected() {
    assertThatThrownBy(() -> decode(HEX.parseHex("04 00")))
        .isInstanceOf(MalformedBroadcastException.class)
        .hasMessageContaining("trailing");
  }

  @Test
  void unknownKindAndEmptyFrameAreRejected() {
    assertThatThrownBy(() -> decode(HEX.parseHex("09"))).isInstanceOf(MalformedBroadcastException.class);
    assertThatThrownBy(() -> decode(new byte[0])).isInstanceOf(MalformedBroadcastException.class);
  }

  @Test
  void everyTruncationOfAValidFrameIsRejected() {
    byte[] frame = BroadcastCodec.encode(gossip(3, 2, 1, new byte[] {1, 2, 3}));
    for (int len = 0; len < frame.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(frame, len);
      assertThatThrownBy(() -> decode(cut)).isInstanceOf(MalformedBroadcastException.class);
    }
  }

  static IntStream fuzzRounds() {
    return IntStream.range(0, 20);
  }

  /** Random bytes, and valid frames with random bytes flipped: only the checked exception may escape. */
  @ParameterizedTest
  @MethodSource("fuzzRounds")
  void garbageOnlyEverThrowsTheCheckedException(int round) {
    SplittableRandom random = new SplittableRandom(SEED * 31 + round);
    List<byte[]> valid = everyKindAtItsLimits().map(BroadcastCodec::encode).toList();
    for (int i = 0; i < 500; i++) {
      byte[] frame;
      if (random.nextBoolean()) {
        frame = new byte[random.nextInt(64)];
        random.nextBytes(frame);
        if (frame.length > 0) {
          frame[0] = (byte) random.nextInt(6); // mostly known kinds, so the parsers get exercised
        }
      } else {
        frame = valid.get(random.nextInt(valid.size())).clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
        }
      }
      try {
        BroadcastMessage decoded = BroadcastCodec.decode(ByteBuffer.wrap(frame));
        assertThat(BroadcastCodec.encode(decoded)).isEqualTo(frame); // accepted means canonical
      } catch (MalformedBroadcastException expected) {
        // the only acceptable failure
      }
    }
  }
}
