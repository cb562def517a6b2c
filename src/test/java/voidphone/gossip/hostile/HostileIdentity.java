package voidphone.gossip.hostile;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.stream.IntStream;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Identity;
import voidphone.gossip.identity.ProofOfWork;

/**
 * One identity of the hostile peer: an RSA hostkey and the proof of work that lets it link.
 * RSA-2048, the smallest a node accepts in a link certificate: the attack does not depend on the
 * size, and thirty of them take seconds instead of minutes.
 */
public record HostileIdentity(KeyPair keys, NodeId id, long powNonce) {

  /**
   * {@code count} fresh identities with proof of work of {@code difficulty} bits, made in parallel
   * (the key generation is what costs).
   */
  public static List<HostileIdentity> make(int count, int difficulty) {
    return IntStream.range(0, count).parallel().mapToObj(i -> {
      KeyPair keys = rsa2048();
      NodeId id = Identity.of(keys.getPublic());
      return new HostileIdentity(keys, id, ProofOfWork.solve(id, difficulty));
    }).toList();
  }

  private static KeyPair rsa2048() {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      return gen.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has RSA", e);
    }
  }
}
