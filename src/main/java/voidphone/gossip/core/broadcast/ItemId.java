package voidphone.gossip.core.broadcast;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import voidphone.gossip.core.NodeId;

/**
 * The network-wide identity of one broadcast item: 64 bits, the first 8 bytes of
 * SHA-256(origin 32 bytes || nonce u64 || data type u16 || data).
 *
 * <p>Why content-bound rather than random: a receiver recomputes the id from the GOSSIP message, so
 * a peer cannot "squat" an id by sending other data under it and thereby make the genuine item look
 * like a duplicate everywhere. Why a nonce: every ANNOUNCE is a new item even when its bytes equal an
 * earlier one's, so the id must differ for equal data. Why 64 bits: ids are most of what IHAVEs
 * carry, and at 128 bits the IHAVEs of a degree-30 overlay outweighed the items themselves; 64 bits
 * still make accidental collisions negligible (a node remembers 100,000 ids: about 3 x 10^-10 that
 * two of them share an id), and squatting an honest item's id takes a second preimage of 64 bits
 * (about 2^64 hashes) while the item spreads, under a second (docs/protocol/broadcast.md, section 2).
 */
public record ItemId(long value) {
  public static final int BYTES = 8;

  /** The id of the item {@code origin} announced with {@code nonce}. */
  public static ItemId of(NodeId origin, long nonce, int dataType, byte[] data) {
    MessageDigest sha = sha256();
    ByteBuffer head = ByteBuffer.allocate(NodeId.BYTES + Long.BYTES + Short.BYTES);
    origin.write(head);
    head.putLong(nonce).putShort((short) dataType);
    sha.update(head.array());
    sha.update(data);
    ByteBuffer digest = ByteBuffer.wrap(sha.digest());
    return new ItemId(digest.getLong());
  }

  /** Reads 8 bytes from {@code in}. */
  public static ItemId read(ByteBuffer in) {
    return new ItemId(in.getLong());
  }

  public void write(ByteBuffer out) {
    out.putLong(value);
  }

  /** All 16 hex digits. */
  public String hex() {
    return HexFormat.of().toHexDigits(value);
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
