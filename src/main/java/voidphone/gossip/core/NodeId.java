package voidphone.gossip.core;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * A peer's identity: the SHA-256 of its public key (DER SubjectPublicKeyInfo), 32 bytes.
 *
 * <p>Held as four longs rather than a byte array so that ids are cheap to compare, hash and keep
 * by the hundred thousand in the simulator. The protocol core treats ids as opaque: it never
 * computes one, it only compares them (for example to break ties between simultaneous dials).
 */
public record NodeId(long w0, long w1, long w2, long w3) implements Comparable<NodeId> {
  public static final int BYTES = 32;

  public static NodeId fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException("a node id has 32 bytes, got " + bytes.length);
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    return new NodeId(b.getLong(), b.getLong(), b.getLong(), b.getLong());
  }

  /** Reads 32 bytes from {@code in}. */
  public static NodeId read(ByteBuffer in) {
    return new NodeId(in.getLong(), in.getLong(), in.getLong(), in.getLong());
  }

  public static NodeId fromHex(String hex) {
    return fromBytes(HexFormat.of().parseHex(hex));
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(w0).putLong(w1).putLong(w2).putLong(w3).array();
  }

  public void write(ByteBuffer out) {
    out.putLong(w0).putLong(w1).putLong(w2).putLong(w3);
  }

  /** The full identity in lower-case hex, as operators see it. */
  public String hex() {
    return HexFormat.of().formatHex(toBytes());
  }

  /** The first 8 hex digits, for log lines. */
  public String shortHex() {
    return hex().substring(0, 8);
  }

  @Override
  public int compareTo(NodeId o) {
    int c = Long.compareUnsigned(w0, o.w0);
    if (c == 0) c = Long.compareUnsigned(w1, o.w1);
    if (c == 0) c = Long.compareUnsigned(w2, o.w2);
    if (c == 0) c = Long.compareUnsigned(w3, o.w3);
    return c;
  }

  @Override
  public String toString() {
    return shortHex();
  }
}
