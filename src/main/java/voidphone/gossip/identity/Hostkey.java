package voidphone.gossip.identity;

import java.security.KeyPair;
import voidphone.gossip.core.NodeId;

/**
 * This peer's key pair, the identity derived from it (SHA-256 of the public key's DER
 * SubjectPublicKeyInfo, spec section 5) and the proof of work that makes the identity costly.
 *
 * @param keyPair the RSA key pair; may be null in tests of layers that never sign (the API)
 * @param id the identity, {@link Identity#of} the public key
 * @param pow the solved puzzle for {@code id}; {@link PowStamp#NONE} until one is attached
 */
public record Hostkey(KeyPair keyPair, NodeId id, PowStamp pow) {

  public Hostkey {
    if (id == null || pow == null) {
      throw new IllegalArgumentException("a hostkey needs an id and a pow stamp (PowStamp.NONE if none)");
    }
  }

  /** A hostkey without a proof of work yet. */
  public Hostkey(KeyPair keyPair, NodeId id) {
    this(keyPair, id, PowStamp.NONE);
  }

  /** The same key with {@code stamp} attached. */
  public Hostkey withPow(PowStamp stamp) {
    return new Hostkey(keyPair, id, stamp);
  }
}
