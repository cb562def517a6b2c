package voidphone.gossip.link;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Identity;

/**
 * Certificates that carry a peer's hostkey into TLS. A peer's certificate is self-signed and says
 * nothing that is trusted: its only job is to present the public key, whose possession TLS 1.3 proves
 * (CertificateVerify). The identity is computed from that key, never read from a name in it.
 */
public final class PeerCertificates {
  /** Far enough that no node outlives it; peers do not check dates (identities are keys, not time-bound). */
  private static final Duration VALIDITY = Duration.ofDays(365L * 100);

  private PeerCertificates() {}

  /** A self-signed certificate for {@code keys}, named after the identity for readability only. */
  public static X509Certificate selfSigned(KeyPair keys, Instant now) {
    NodeId id = Identity.of(keys.getPublic());
    X500Name name = new X500Name("CN=" + id.hex());
    try {
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  name,
                  BigInteger.valueOf(now.toEpochMilli()),
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(VALIDITY)),
                  name,
                  keys.getPublic())
              .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate()));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a self-signed certificate for " + id, e);
    }
  }
}
