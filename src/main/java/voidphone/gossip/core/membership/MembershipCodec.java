package voidphone.gossip.core.membership;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

/**
 * The wire form of {@link MembershipMessage}: one message per buffer (the runtime's framing says
 * where a message ends), a u8 kind, then big-endian fields. Every byte is described in {@code
 * docs/protocol/membership.md}.
 *
 * <p>Decoding is strict and canonical: a buffer decodes only if it is exactly what {@link #encode}
 * makes of the result, so every length and count is checked against its bound before anything is
 * allocated, flags and reserved bits must be as specified, and no byte may follow the message.
 * Anything else is a {@link MembershipDecodeException}; no other exception escapes.
 */
public final class MembershipCodec {
  public static final int JOIN = 1;
  public static final int FORWARD_JOIN = 2;
  public static final int NEIGHBOR = 3;
  public static final int NEIGHBOR_REPLY = 4;
  public static final int DISCONNECT = 5;
  public static final int SHUFFLE = 6;
  public static final int SHUFFLE_REPLY = 7;
  public static final int MERGE_PROBE = 8;

  private static final int MAX_HOST_BYTES = 255;
  private static final int MAX_ADDRESS_BYTES = 1 + MAX_HOST_BYTES + 2;
  private static final int MAX_PEER_BYTES = NodeId.BYTES + MAX_ADDRESS_BYTES;

  /** The longest encoding of any message (a full SHUFFLE with 255-byte host names). */
  public static final int MAX_ENCODED_LENGTH =
      1 + 1 + MAX_PEER_BYTES + 1 + MembershipMessage.MAX_ENTRIES * MAX_PEER_BYTES;

  private MembershipCodec() {}

  /** Bytes {@link #encode(MembershipMessage, ByteBuffer)} writes for {@code message}. */
  public static int encodedLength(MembershipMessage message) {
    return 1
        + switch (message) {
          case Join m -> addressLength(m.address());
          case ForwardJoin m -> 1 + peerLength(m.joiner());
          case Neighbor m -> 1 + addressLength(m.address());
          case NeighborReply m -> 1;
          case Disconnect m -> 1;
          case Shuffle m -> 1 + peerLength(m.origin()) + peersLength(m.entries());
          case ShuffleReply m -> peersLength(m.entries());
          case MergeProbe m -> addressLength(m.address()) + 1
              + (m.handover() == null ? 0 : peerLength(m.handover())) + 1 + m.neighbors().size() * NodeId.BYTES
              + 1 + m.recentItems().size() * ItemId.BYTES;
        };
  }

  public static byte[] encode(MembershipMessage message) {
    ByteBuffer out = ByteBuffer.allocate(encodedLength(message));
    encode(message, out);
    return out.array();
  }

  /**
   * Writes {@code message} at {@code out}'s position.
   *
   * @throws IllegalArgumentException if an address cannot be carried (see {@link #hostBytes})
   * @throws java.nio.BufferOverflowException if {@code out} has less room than {@link
   *     #encodedLength}
   */
  public static void encode(MembershipMessage message, ByteBuffer out) {
    switch (message) {
      case Join m -> {
        out.put((byte) JOIN);
        putAddress(out, m.address());
      }
      case ForwardJoin m -> {
        out.put((byte) FORWARD_JOIN).put((byte) m.ttl());
        putPeer(out, m.joiner());
      }
      case Neighbor m -> {
        out.put((byte) NEIGHBOR).put((byte) (m.highPriority() ? 1 : 0));
        putAddress(out, m.address());
      }
      case NeighborReply m -> out.put((byte) NEIGHBOR_REPLY).put((byte) (m.accepted() ? 1 : 0));
      case Disconnect m -> out.put((byte) DISCONNECT).put((byte) (m.leaving() ? 1 : 0));
      case Shuffle m -> {
        out.put((byte) SHUFFLE).put((byte) m.ttl());
        putPeer(out, m.origin());
        putPeers(out, m.entries());
      }
      case ShuffleReply m -> {
        out.put((byte) SHUFFLE_REPLY);
        putPeers(out, m.entries());
      }
      case MergeProbe m -> {
        out.put((byte) MERGE_PROBE);
        putAddress(out, m.address());
        out.put((byte) (m.handover() == null ? 0 : 1));
        if (m.handover() != null) {
          putPeer(out, m.handover());
        }
        out.put((byte) m.neighbors().size());
        for (NodeId id : m.neighbors()) {
          id.write(out);
        }
        out.put((byte) m.recentItems().size());
        for (ItemId id : m.recentItems()) {
          id.write(out);
        }
      }
    }
  }

  /** Reads one message from {@code in}'s position to its limit, consuming all of it. */
  public static MembershipMessage decode(ByteBuffer in) throws MembershipDecodeException {
    Reader r = new Reader(in);
    int kind = r.u8("kind");
    MembershipMessage message =
        switch (kind) {
          case JOIN -> new Join(r.address());
          case FORWARD_JOIN -> {
            int ttl = r.u8("ttl");
            yield new ForwardJoin(r.peer(), ttl);
          }
          case NEIGHBOR -> {
            boolean high = r.flag("priority");
            yield new Neighbor(r.address(), high);
          }
          case NEIGHBOR_REPLY -> new NeighborReply(r.flag("accepted"));
          case DISCONNECT -> new Disconnect(r.flag("leaving"));
          case SHUFFLE -> {
            int ttl = r.u8("ttl");
            Peer origin = r.peer();
            yield new Shuffle(origin, ttl, r.peers());
          }
          case SHUFFLE_REPLY -> new ShuffleReply(r.peers());
          case MERGE_PROBE -> {
            PeerAddress address = r.address();
            Peer handover = r.flag("handover") ? r.peer() : null;
            List<NodeId> neighbors = r.ids();
            yield new MergeProbe(address, handover, neighbors, r.itemIds());
          }
          default -> throw new MembershipDecodeException("unknown membership message kind " + kind);
        };
    if (in.hasRemaining()) {
      throw new MembershipDecodeException(
          in.remaining() + " bytes after a complete message of kind " + kind);
    }
    return message;
  }

  /**
   * The UTF-8 form of a host as the wire carries it: 1 to 255 bytes, no whitespace or control
   * characters (they have no place in an address and would let a peer forge log lines).
   *
   * @throws IllegalArgumentException if {@code host} cannot be carried
   */
  public static byte[] hostBytes(String host) {
    byte[] bytes = host.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_HOST_BYTES) {
      throw new IllegalArgumentException("host has " + bytes.length + " UTF-8 bytes, at most 255");
    }
    String bad = badCharacter(host);
    if (bad != null) {
      throw new IllegalArgumentException("host contains " + bad);
    }
    return bytes;
  }

  private static String badCharacter(CharSequence host) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        return String.format("character U+%04X", (int) c);
      }
    }
    return null;
  }

  private static int addressLength(PeerAddress address) {
    return 1 + utf8Length(address.host()) + 2;
  }

  /**
   * The length of {@code s} in UTF-8, as {@link String#getBytes} would encode it (an unpaired
   * surrogate as one replacement byte), counted without encoding or checking it: every received
   * message's length is taken for its sender's allowance, and shuffles carry dozens of hosts
   * (encoding them took an eighth of the samples in a profile of the 100,000-node simulation).
   * {@link #encode} still checks each host. The JDK has no such count, and the sans-IO core may not
   * use Netty's {@code ByteBufUtil.utf8Bytes}.
   */
  static int utf8Length(String s) {
    int length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        length += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        length += 1;
      } else {
        length += 3;
      }
    }
    return length;
  }

  private static int peerLength(Peer peer) {
    return NodeId.BYTES + addressLength(peer.address());
  }

  private static int peersLength(List<Peer> peers) {
    int length = 1;
    for (Peer peer : peers) {
      length += peerLength(peer);
    }
    return length;
  }

  private static void putAddress(ByteBuffer out, PeerAddress address) {
    byte[] host = hostBytes(address.host());
    out.put((byte) host.length).put(host).putShort((short) address.port());
  }

  private static void putPeer(ByteBuffer out, Peer peer) {
    peer.id().write(out);
    putAddress(out, peer.address());
  }

  private static void putPeers(ByteBuffer out, List<Peer> peers) {
    out.put((byte) peers.size());
    for (Peer peer : peers) {
      putPeer(out, peer);
    }
  }

  /** Bounds-checked reads: running short is a decode error, never a buffer exception. */
  private static final class Reader {
    private final ByteBuffer in;
    private final CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    Reader(ByteBuffer in) {
      this.in = in;
    }

    private void need(int bytes, String what) throws MembershipDecodeException {
      if (in.remaining() < bytes) {
        throw new MembershipDecodeException(
            "message ends inside " + what + " (" + in.remaining() + " of " + bytes + " bytes)");
      }
    }

    int u8(String what) throws MembershipDecodeException {
      need(1, what);
      return in.get() & 0xFF;
    }

    boolean flag(String what) throws MembershipDecodeException {
      int value = u8(what);
      if (value > 1) {
        throw new MembershipDecodeException(what + " byte is " + value + ", must be 0 or 1");
      }
      return value == 1;
    }

    PeerAddress address() throws MembershipDecodeException {
      int length = u8("host length");
      if (length == 0) {
        throw new MembershipDecodeException("empty host");
      }
      need(length + 2, "address");
      ByteBuffer slice = in.slice(in.position(), length);
      in.position(in.position() + length);
      CharBuffer host;
      try {
        host = utf8.reset().decode(slice);
      } catch (CharacterCodingException e) {
        throw new MembershipDecodeException("host is not UTF-8");
      }
      String bad = badCharacter(host);
      if (bad != null) {
        throw new MembershipDecodeException("host contains " + bad);
      }
      int port = in.getShort() & 0xFFFF;
      if (port == 0) {
        throw new MembershipDecodeException("port 0");
      }
      return new PeerAddress(host.toString(), port);
    }

    Peer peer() throws MembershipDecodeException {
      need(NodeId.BYTES, "node id");
      NodeId id = NodeId.read(in);
      return new Peer(id, address());
    }

    List<NodeId> ids() throws MembershipDecodeException {
      return fixedSize("neighbours", MembershipMessage.MAX_ENTRIES, NodeId.BYTES, NodeId::read);
    }

    List<ItemId> itemIds() throws MembershipDecodeException {
      return fixedSize("items", MembershipMessage.MAX_EVIDENCE, ItemId.BYTES, ItemId::read);
    }

    /** A u8 count (at most {@code max}), then that many values of {@code bytes} each. */
    private <T> List<T> fixedSize(String what, int max, int bytes, java.util.function.Function<ByteBuffer, T> read)
        throws MembershipDecodeException {
      int count = u8(what + " count");
      if (count > max) {
        throw new MembershipDecodeException(count + " " + what + ", at most " + max);
      }
      need(count * bytes, what);
      List<T> values = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        values.add(read.apply(in));
      }
      return values;
    }

    List<Peer> peers() throws MembershipDecodeException {
      int count = u8("entry count");
      if (count > MembershipMessage.MAX_ENTRIES) {
        throw new MembershipDecodeException(
            count + " entries, at most " + MembershipMessage.MAX_ENTRIES);
      }
      List<Peer> peers = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        peers.add(peer());
      }
      return peers;
    }
  }
}
