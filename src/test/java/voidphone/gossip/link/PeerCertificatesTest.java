package voidphone.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import voidphone.gossip.identity.Identity;

/** Link certificates: a fresh EC link key, bound to the hostkey that names the peer. */
class PeerCertificatesTest {
  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  private final KeyPair hostkey = TestKeys.get(0);
  private final KeyPair other = TestKeys.get(1);

  @Test
  void aNodesCertificateProvesTheIdentityOfItsHostkey() throws Exception {
    var credentials = PeerCertificates.forHostkey(hostkey, NOW);
    assertThat(PeerCertificates.verify(credentials.certificate())).isEqualTo(Identity.of(hostkey.getPublic()));
    assertThat(PeerCertificates.identityOf(credentials.certificate())).isEqualTo(Identity.of(hostkey.getPublic()));
  }

  @Test
  void theLinkKeyIsAFreshP256KeyNotTheHostkey() {
    var first = PeerCertificates.forHostkey(hostkey, NOW);
    var second = PeerCertificates.forHostkey(hostkey, NOW);
    assertThat(first.certificate().getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(first.linkKeys().getPublic()).isNotEqualTo(second.linkKeys().getPublic());
  }

  @Test
  void aBindingSignedByAnotherKeyDoesNotProveTheNamedHostkey() {
    var link = PeerCertificates.forHostkey(other, NOW).linkKeys();
    // names the victim's hostkey, but the forger signed the link key with its own
    X509Certificate forged = PeerCertificates.certificate(
        link, hostkey, PeerCertificates.bind(link.getPublic(), other), NOW);
    assertThatThrownBy(() -> PeerCertificates.verify(forged))
        .isInstanceOf(CertificateException.class).hasMessageContaining("did not sign its link key");
  }

  @Test
  void aGenuineBindingCopiedOntoAnotherLinkKeyIsRefused() {
    var genuine = PeerCertificates.forHostkey(hostkey, NOW);
    byte[] copied = PeerCertificates.bind(genuine.linkKeys().getPublic(), hostkey);
    var attackerLink = PeerCertificates.forHostkey(other, NOW).linkKeys();
    X509Certificate replay = PeerCertificates.certificate(attackerLink, hostkey, copied, NOW);
    assertThatThrownBy(() -> PeerCertificates.verify(replay))
        .isInstanceOf(CertificateException.class).hasMessageContaining("did not sign its link key");
  }

  @Test
  void aHostkeyOfFewerThan2048BitsIsRefusedThoughItsBindingVerifies() throws Exception {
    java.security.KeyPairGenerator rsa = java.security.KeyPairGenerator.getInstance("RSA");
    rsa.initialize(1024);
    KeyPair weak = rsa.generateKeyPair();
    var credentials = PeerCertificates.forHostkey(weak, NOW);

    assertThatThrownBy(() -> PeerCertificates.verify(credentials.certificate()))
        .isInstanceOf(CertificateException.class).hasMessageContaining("1024 bits");
  }

  @Test
  void aCertificateOnTheRsaHostkeyItselfIsRefused() throws Exception {
    X509Certificate plain = withoutBinding(hostkey, "SHA256withRSA");
    assertThatThrownBy(() -> PeerCertificates.verify(plain))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not EC");
  }

  @Test
  void anEcCertificateWithoutABindingIsRefused() throws Exception {
    KeyPair link = PeerCertificates.forHostkey(hostkey, NOW).linkKeys();
    X509Certificate unbound = withoutBinding(link, "SHA256withECDSA");
    assertThatThrownBy(() -> PeerCertificates.verify(unbound))
        .isInstanceOf(CertificateException.class).hasMessageContaining("no hostkey binding");
  }

  /** A plain self-signed certificate for {@code keys}, with no hostkey binding. */
  private static X509Certificate withoutBinding(KeyPair keys, String signature) throws Exception {
    X500Name name = new X500Name("CN=plain");
    return new JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(NOW), Date.from(NOW.plus(Duration.ofDays(1))),
            name, keys.getPublic())
            .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate())));
  }
}
