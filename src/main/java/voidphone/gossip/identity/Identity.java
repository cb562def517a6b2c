package voidphone.gossip.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import voidphone.gossip.core.NodeId;

/** How a public key becomes a peer identity (spec section 5). */
public final class Identity {
  /**
   * Hostkeys of fewer bits are refused, ours and every peer's: smaller RSA keys are breakable, and
   * an identity anyone can factor is anyone's. Larger than {@link #MAX_HOSTKEY_BITS} makes every
   * handshake slow for little gain.
   */
  public static final int MIN_HOSTKEY_BITS = 2048;

  public static final int MAX_HOSTKEY_BITS = 16384;

  private Identity() {}

  /**
   * SHA-256 of the key's DER SubjectPublicKeyInfo: the same bytes as {@code openssl rsa -pubout
   * -outform DER}, so operators can check an identity with openssl alone.
   */
  public static NodeId of(PublicKey publicKey) {
    if (!"X.509".equals(publicKey.getFormat())) {
      throw new IllegalArgumentException("public key encodes as " + publicKey.getFormat() + ", not X.509");
    }
    try {
      return NodeId.fromBytes(MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
