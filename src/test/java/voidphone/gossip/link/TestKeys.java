package voidphone.gossip.link;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * RSA key pairs for link tests. 2048 bits rather than the spec's 4096 so a suite with dozens of
 * nodes does not spend minutes generating keys; the link layer does not depend on the size.
 */
public final class TestKeys {
  private static final List<KeyPair> POOL = new ArrayList<>();

  private TestKeys() {}

  /** The i-th key of a pool shared by all tests of this JVM (keys are immutable). */
  public static synchronized KeyPair get(int i) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(2048);
      while (POOL.size() <= i) POOL.add(gen.generateKeyPair());
      return POOL.get(i);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
