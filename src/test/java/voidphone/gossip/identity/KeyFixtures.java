package voidphone.gossip.identity;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * The keys in {@code src/test/resources/hostkeys}, made with OpenSSL 3.0, and the identities
 * {@code openssl rsa -in K -pubout -outform DER | sha256sum} printed for them at that time:
 *
 * <pre>
 * openssl genrsa -traditional -out pkcs1.pem 4096
 * openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out pkcs8.pem
 * openssl genrsa -traditional -out t.pem 4096; openssl rsa -in t.pem -pubout > p; cat t.pem p > pkcs1-with-public.pem
 * openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem
 * openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes256 -pass pass:secret -out encrypted.pem
 * openssl genrsa -traditional -out rsa1024.pem 1024
 * </pre>
 */
public final class KeyFixtures {
  public static final String PKCS1_ID = "5826d7540f5d8db1dbe009f19b913ab11d0e2693cce36a8bbfe029b08f94afc1";
  public static final String PKCS8_ID = "e22e5fea3643060a68b2c195398a5ed5f67ab4e140b6413fcfb7bc97ce77e30a";
  public static final String WITH_PUBLIC_ID = "f6d91ddb1bbd27bba870a5bd1dd984a9175f46b25762f3b5cea789edef4b8b81";

  private KeyFixtures() {}

  public static Path path(String name) {
    try {
      return Path.of(KeyFixtures.class.getResource("/hostkeys/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture hostkeys/" + name, e);
    }
  }
}
