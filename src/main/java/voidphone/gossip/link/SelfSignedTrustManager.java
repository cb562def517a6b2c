package voidphone.gossip.link;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509TrustManager;

/**
 * Accepts exactly one self-signed certificate from the peer, with a valid hostkey binding ({@link
 * PeerCertificates#verify}). Trust comes from identity, not from a CA: the link layer reads the
 * peer's identity from the binding afterwards and checks it against what it expected and against
 * the proof of work. What is rejected here is only what cannot be a peer: no certificate, a chain,
 * a certificate whose self-signature does not verify, or a link key its hostkey did not sign.
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
    PeerCertificates.verify(chain[0]);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
