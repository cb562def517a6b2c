package voidphone.gossip.core.broadcast;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import voidphone.gossip.core.NodeId;

/**
 * The network-wide identity of one broadcast item: 128 bits, the first 16 bytes of
 * SHA-256(origin 32 bytes || nonce u64 || data type u16 || data).
 *
 * <p>Why content-bound rather than random: a receiver recomputes the id from the GOSSIP message, so
 * a peer cannot "squat" an id by sending other data under it and thereby make the genuine item look
 * like a duplicate everywhere. Why a nonce: every ANNOUNCE is a new item even when its bytes equal an
 * earlier one's, so the id must differ for equal data. 128 bits make accidental collisions
 * irrelevant at any item rate this network will see.
 */
public record ItemId(long hi, long lo) {
  public static final int BYTES = 16;

  /** The id of the item {@code origin} announced with {@code nonce}. */
  public static ItemId of(NodeId origin, long nonce, int dataType, byte[] data) {
    MessageDigest sha = sha256();
    ByteBuffer head = ByteBuffer.allocate(NodeId.BYTES + Long.BYTES + Short.BYTES);
    origin.write(head);
    head.putLong(nonce).putShort((short) dataType);
    sha.update(head.array());
    sha.update(data);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest());
    return new ItemId(digest.getLong(), digest.getLong());
  }

  /** Reads 16 bytes from {@code in}. */
  public static ItemId read(ByteBuffer in) {
    return new ItemId(in.getLong(), in.getLong());
  }

  public void write(ByteBuffer out) {
    out.putLong(hi).putLong(lo);
  }

  /** All 32 hex digits. */
  public String hex() {
    return HexFormat.of().toHexDigits(hi) + HexFormat.of().toHexDigits(lo);
  }

  /** The first 8 hex digits, for log lines. */
  @Override
  public String toString() {
    return hex().substring(0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // every Java platform must provide SHA-256 (MessageDigest javadoc), so this is a broken JDK
      throw new IllegalStateException("this JDK lacks SHA-256", e);
    }
  }
}
