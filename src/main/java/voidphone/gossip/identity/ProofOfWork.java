package voidphone.gossip.identity;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import voidphone.gossip.core.NodeId;

/**
 * The work an identity costs: a nonce such that SHA-256({@value #DOMAIN} || identity || nonce) starts
 * with at least {@code difficulty} zero bits. The identity is 32 bytes, the nonce 8 bytes big-endian.
 *
 * <p>Binding the puzzle to the identity (not to an address or a time) means it is solved once per
 * key and then reused across restarts, while minting a thousand identities costs a thousand times as
 * much. The domain string keeps the hash from being useful for any other protocol.
 */
public final class ProofOfWork {
  /** Domain separation prefix; change the version if the puzzle ever changes. */
  public static final String DOMAIN = "voidphone-gossip-pow-v1";
  /** A SHA-256 output has 256 bits; no difficulty above that can be met. */
  public static final int MAX_VERIFIABLE_DIFFICULTY = 256;
  /** The nonce is 64 bits wide: past this, a solution is not expected to exist. */
  public static final int MAX_SOLVABLE_DIFFICULTY = 63;

  private static final byte[] DOMAIN_BYTES = DOMAIN.getBytes(StandardCharsets.US_ASCII);

  private ProofOfWork() {}

  /**
   * Finds the smallest nonce (counting up from 0, unsigned) that meets {@code difficulty} for
   * {@code id}. Expected work: 2^difficulty hashes.
   */
  public static long solve(NodeId id, int difficulty) {
    if (difficulty < 0 || difficulty > MAX_SOLVABLE_DIFFICULTY) {
      throw new IllegalArgumentException(
          "difficulty " + difficulty + " is outside 0.." + MAX_SOLVABLE_DIFFICULTY);
    }
    Hasher hasher = new Hasher(id);
    long nonce = 0;
    while (hasher.leadingZeroBits(nonce) < difficulty) {
      nonce++;
    }
    return nonce;
  }

  /** Whether {@code nonce} proves at least {@code difficulty} bits of work for {@code id}. */
  public static boolean verify(NodeId id, long nonce, int difficulty) {
    if (difficulty < 0 || difficulty > MAX_VERIFIABLE_DIFFICULTY) {
      throw new IllegalArgumentException(
          "difficulty " + difficulty + " is outside 0.." + MAX_VERIFIABLE_DIFFICULTY);
    }
    return leadingZeroBits(id, nonce) >= difficulty;
  }

  /** The number of leading zero bits of the puzzle hash: the difficulty this nonce actually meets. */
  public static int leadingZeroBits(NodeId id, long nonce) {
    return new Hasher(id).leadingZeroBits(nonce);
  }

  /** Reuses one digest and its buffers for every nonce tried: solving hashes millions of them. */
  private static final class Hasher {
    private final MessageDigest sha256;
    private final byte[] prefix;
    private final byte[] nonceBytes = new byte[8];
    private final byte[] hash = new byte[32];

    Hasher(NodeId id) {
      try {
        sha256 = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-256", e);
      }
      prefix = new byte[DOMAIN_BYTES.length + NodeId.BYTES];
      System.arraycopy(DOMAIN_BYTES, 0, prefix, 0, DOMAIN_BYTES.length);
      System.arraycopy(id.toBytes(), 0, prefix, DOMAIN_BYTES.length, NodeId.BYTES);
    }

    int leadingZeroBits(long nonce) {
      for (int i = 0; i < 8; i++) {
        nonceBytes[i] = (byte) (nonce >>> (56 - 8 * i));
      }
      sha256.update(prefix);
      sha256.update(nonceBytes);
      try {
        sha256.digest(hash, 0, hash.length);
      } catch (DigestException e) {
        throw new IllegalStateException("a 32-byte buffer holds a SHA-256", e);
      }
      int bits = 0;
      for (byte b : hash) {
        if (b != 0) {
          return bits + Integer.numberOfLeadingZeros(b & 0xFF) - 24;
        }
        bits += 8;
      }
      return bits;
    }
  }
}
