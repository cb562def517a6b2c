package voidphone.gossip.core.broadcast;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.broadcast.BroadcastMessage.Gossip;
import voidphone.gossip.core.broadcast.BroadcastMessage.Graft;
import voidphone.gossip.core.broadcast.BroadcastMessage.IHave;
import voidphone.gossip.core.broadcast.BroadcastMessage.Prune;

/**
 * Wire format of {@link BroadcastMessage}s, one message per frame (the runtime's framing says where
 * a frame ends). Big-endian; every layout is in {@code docs/protocol/broadcast.md}.
 *
 * <p>Decoding checks every count and length against the remaining bytes and the protocol bounds
 * before it allocates anything, and reports any defect as {@link MalformedBroadcastException}, so a
 * hostile frame costs at most one pass over its own bytes.
 */
public final class BroadcastCodec {
  static final int KIND_GOSSIP = 1;
  static final int KIND_IHAVE = 2;
  static final int KIND_GRAFT = 3;
  static final int KIND_PRUNE = 4;

  /** kind u8, id, origin, nonce u64, ttl u8, hops u16, data type u16, data length u16. */
  static final int GOSSIP_HEADER = 1 + ItemId.BYTES + NodeId.BYTES + 8 + 1 + 2 + 2 + 2;

  /** The largest encoded message (a GOSSIP with the largest data): the runtime's frame limit. */
  public static final int MAX_ENCODED_SIZE = GOSSIP_HEADER + BroadcastMessage.MAX_DATA;

  private BroadcastCodec() {}

  /** How many bytes {@link #encode(BroadcastMessage, ByteBuffer)} writes. */
  public static int encodedSize(BroadcastMessage message) {
    return switch (message) {
      case Gossip g -> GOSSIP_HEADER + g.data().length;
      case IHave h -> 1 + 2 + h.announcements().size() * Announcement.WIRE_BYTES;
      case Graft g -> 1 + 2 + g.ids().size() * ItemId.BYTES;
      case Prune p -> 1;
    };
  }

  public static byte[] encode(BroadcastMessage message) {
    ByteBuffer out = ByteBuffer.allocate(encodedSize(message));
    encode(message, out);
    return out.array();
  }

  /** Writes {@code message} at {@code out}'s position; {@code out} needs {@link #encodedSize} bytes. */
  public static void encode(BroadcastMessage message, ByteBuffer out) {
    switch (message) {
      case Gossip g -> {
        out.put((byte) KIND_GOSSIP);
        g.id().write(out);
        g.origin().write(out);
        out.putLong(g.nonce());
        out.put((byte) g.ttl());
        out.putShort((short) g.hops());
        out.putShort((short) g.dataType());
        out.putShort((short) g.data().length);
        out.put(g.data());
      }
      case IHave h -> {
        out.put((byte) KIND_IHAVE);
        out.putShort((short) h.announcements().size());
        for (Announcement a : h.announcements()) {
          a.id().write(out);
          out.put((byte) a.hops());
        }
      }
      case Graft g -> {
        out.put((byte) KIND_GRAFT);
        out.putShort((short) g.ids().size());
        for (ItemId id : g.ids()) {
          id.write(out);
        }
      }
      case Prune p -> out.put((byte) KIND_PRUNE);
    }
  }

  /** Decodes one whole frame: every remaining byte of {@code in} must belong to the message. */
  public static BroadcastMessage decode(ByteBuffer in) throws MalformedBroadcastException {
    need(in, 1, "message kind");
    int kind = Byte.toUnsignedInt(in.get());
    BroadcastMessage message =
        switch (kind) {
          case KIND_GOSSIP -> decodeGossip(in);
          case KIND_IHAVE -> decodeIHave(in);
          case KIND_GRAFT -> decodeGraft(in);
          case KIND_PRUNE -> new Prune();
          default -> throw new MalformedBroadcastException("unknown broadcast message kind " + kind);
        };
    if (in.hasRemaining()) {
      throw new MalformedBroadcastException(
          in.remaining() + " trailing bytes after a " + message.getClass().getSimpleName());
    }
    return message;
  }

  private static Gossip decodeGossip(ByteBuffer in) throws MalformedBroadcastException {
    need(in, GOSSIP_HEADER - 1, "GOSSIP header");
    ItemId id = ItemId.read(in);
    NodeId origin = NodeId.read(in);
    long nonce = in.getLong();
    int ttl = Byte.toUnsignedInt(in.get());
    int hops = Short.toUnsignedInt(in.getShort());
    int dataType = Short.toUnsignedInt(in.getShort());
    int length = Short.toUnsignedInt(in.getShort());
    if (hops == 0) {
      throw new MalformedBroadcastException("GOSSIP with hop count 0");
    }
    if (length == 0 || length > BroadcastMessage.MAX_DATA) {
      throw new MalformedBroadcastException(
          "GOSSIP data length " + length + " outside 1.." + BroadcastMessage.MAX_DATA);
    }
    need(in, length, "GOSSIP data");
    byte[] data = new byte[length];
    in.get(data);
    return new Gossip(id, origin, nonce, ttl, hops, dataType, data);
  }

  private static IHave decodeIHave(ByteBuffer in) throws MalformedBroadcastException {
    int count = count(in, 1, BroadcastMessage.MAX_IHAVE_ENTRIES, "IHAVE");
    need(in, (long) count * Announcement.WIRE_BYTES, "IHAVE entries");
    List<Announcement> entries = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ItemId id = ItemId.read(in);
      int hops = Byte.toUnsignedInt(in.get());
      if (hops == 0) {
        throw new MalformedBroadcastException("IHAVE entry with hop count 0");
      }
      entries.add(new Announcement(id, hops));
    }
    return new IHave(entries);
  }

  private static Graft decodeGraft(ByteBuffer in) throws MalformedBroadcastException {
    int count = count(in, 0, BroadcastMessage.MAX_GRAFT_IDS, "GRAFT");
    need(in, (long) count * ItemId.BYTES, "GRAFT ids");
    List<ItemId> ids = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ids.add(ItemId.read(in));
    }
    return new Graft(ids);
  }

  private static int count(ByteBuffer in, int min, int max, String what)
      throws MalformedBroadcastException {
    need(in, 2, what + " count");
    int count = Short.toUnsignedInt(in.getShort());
    if (count < min || count > max) {
      throw new MalformedBroadcastException(
          what + " count " + count + " outside " + min + ".." + max);
    }
    return count;
  }

  private static void need(ByteBuffer in, long bytes, String what)
      throws MalformedBroadcastException {
    if (in.remaining() < bytes) {
      throw new MalformedBroadcastException(
          "truncated " + what + ": need " + bytes + " bytes, have " + in.remaining());
    }
  }
}
