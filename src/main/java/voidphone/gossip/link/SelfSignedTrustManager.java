package voidphone.gossip.link;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts exactly one self-signed certificate from the peer. Trust comes from identity, not from a
 * CA: the link layer derives the peer's identity from the key afterwards and checks it against what
 * it expected and against the proof of work. What is rejected here is only what cannot be a peer: no
 * certificate, a chain, or a certificate whose self-signature does not verify.
 */
final class SelfSignedTrustManager implements X509TrustManager {

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    check(chain);
  }

  private static void check(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length != 1) {
      throw new CertificateException("a peer presents exactly one self-signed certificate");
    }
    X509Certificate cert = chain[0];
    if (!"RSA".equals(cert.getPublicKey().getAlgorithm())) {
      throw new CertificateException("peer key is " + cert.getPublicKey().getAlgorithm() + ", not RSA");
    }
    try {
      cert.verify(cert.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("peer certificate is not self-signed by its key", e);
    }
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
