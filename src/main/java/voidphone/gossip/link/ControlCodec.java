package voidphone.gossip.link;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import voidphone.gossip.core.PeerAddress;
import voidphone.gossip.core.membership.MembershipCodec;

/** Byte layout of channel-0 messages; see docs/PROTOCOL.md, "Link control". */
final class ControlCodec {
  static final int MAGIC = 0x56504753; // "VPGS"
  static final int KIND_HELLO = 0;
  static final int KIND_PING = 1;
  static final int KIND_PONG = 2;
  static final int KIND_REFUSE = 3;
  static final int KIND_ACCEPT = 4;
  static final int MAX_DETAIL_BYTES = 255;

  private ControlCodec() {}

  static void encode(ControlMessage message, ByteBuf out) {
    switch (message) {
      case ControlMessage.Hello h -> {
        out.writeByte(KIND_HELLO).writeInt(MAGIC).writeShort(h.minVersion()).writeShort(h.maxVersion());
        out.writeLong(h.powNonce());
        writeAddress(h.listenAddress(), out);
      }
      case ControlMessage.Accept a -> out.writeByte(KIND_ACCEPT);
      case ControlMessage.Ping p -> out.writeByte(KIND_PING).writeLong(p.token());
      case ControlMessage.Pong p -> out.writeByte(KIND_PONG).writeLong(p.token());
      case ControlMessage.Refuse r -> {
        byte[] detail = truncate(r.detail().getBytes(StandardCharsets.UTF_8));
        out.writeByte(KIND_REFUSE).writeByte(r.reason().code).writeByte(detail.length).writeBytes(detail);
      }
    }
  }

  static ControlMessage decode(ByteBuf in) throws LinkProtocolException {
    try {
      int kind = in.readUnsignedByte();
      ControlMessage m =
          switch (kind) {
            case KIND_HELLO -> {
              if (in.readInt() != MAGIC) throw new LinkProtocolException("HELLO without the VPGS magic");
              int min = in.readUnsignedShort();
              int max = in.readUnsignedShort();
              long nonce = in.readLong();
              yield new ControlMessage.Hello(min, max, nonce, readAddress(in));
            }
            case KIND_ACCEPT -> new ControlMessage.Accept();
            case KIND_PING -> new ControlMessage.Ping(in.readLong());
            case KIND_PONG -> new ControlMessage.Pong(in.readLong());
            case KIND_REFUSE -> {
              ControlMessage.Reason reason = ControlMessage.Reason.of(in.readUnsignedByte());
              int len = in.readUnsignedByte();
              yield new ControlMessage.Refuse(reason, printable(in.readCharSequence(len, StandardCharsets.UTF_8)));
            }
            default -> throw new LinkProtocolException("unknown control message kind " + kind);
          };
      if (in.isReadable()) {
        throw new LinkProtocolException("control message kind " + kind + " has " + in.readableBytes() + " trailing bytes");
      }
      return m;
    } catch (IndexOutOfBoundsException e) {
      throw new LinkProtocolException("truncated control message");
    }
  }

  /** u8 length, UTF-8 host, u16 port. Shared with the membership codec's layout. */
  static void writeAddress(PeerAddress address, ByteBuf out) {
    byte[] host = address.host().getBytes(StandardCharsets.UTF_8);
    out.writeByte(host.length).writeBytes(host).writeShort(address.port());
  }

  /** The address {@link #writeAddress} wrote; its host must also be one membership messages can carry. */
  static PeerAddress readAddress(ByteBuf in) throws LinkProtocolException {
    int len = in.readUnsignedByte();
    ByteBuffer hostBytes = in.readSlice(len).nioBuffer();
    int port = in.readUnsignedShort();
    String host;
    try {
      // strict (a decoder's default is to report): bytes that are not UTF-8 would read as U+FFFD,
      // three bytes each, and make a host longer than the u8 length can carry on
      host = StandardCharsets.UTF_8.newDecoder().decode(hostBytes).toString();
    } catch (CharacterCodingException e) {
      throw new LinkProtocolException("bad listen address: host is not UTF-8");
    }
    try {
      // The node passes this address on in membership messages (a bootstrap contact), whose
      // encoder refuses a host with whitespace or control characters: refuse it here instead.
      MembershipCodec.hostBytes(host);
      return new PeerAddress(host, port);
    } catch (IllegalArgumentException e) {
      throw new LinkProtocolException("bad listen address: " + e.getMessage());
    }
  }

  /**
   * A REFUSE's detail as it may be logged: it is free text for operators and changes nothing, so it
   * is read leniently (bytes that are not UTF-8 become U+FFFD), but a control character, which could
   * forge a log line or a terminal escape, becomes {@code ?}.
   */
  static String printable(CharSequence detail) {
    StringBuilder out = new StringBuilder(detail.length());
    for (int i = 0; i < detail.length(); i++) {
      char c = detail.charAt(i);
      out.append(Character.isISOControl(c) ? '?' : c);
    }
    return out.toString();
  }

  private static byte[] truncate(byte[] bytes) {
    if (bytes.length <= MAX_DETAIL_BYTES) return bytes;
    byte[] cut = new byte[MAX_DETAIL_BYTES];
    System.arraycopy(bytes, 0, cut, 0, cut.length);
    return cut;
  }
}
