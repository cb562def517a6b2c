package voidphone.gossip.link;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.Identity;

/**
 * The certificate a node presents on its links, and how a peer's certificate is checked.
 *
 * <p>TLS does not run on the hostkey itself. Each node makes a fresh ECDSA P-256 <em>link key</em>
 * when it starts, and its self-signed certificate for that key carries a <em>hostkey binding</em>
 * extension: the hostkey's public key and the hostkey's signature over the link key. Why: in TLS
 * 1.3 both ends sign every handshake, and an RSA-4096 signature costs milliseconds (measured in
 * {@code docs/protocol/link.md}), so handshakes with the hostkey made every shuffle reply and every
 * stranger's dial cost a core for that long. The hostkey signs once per start instead; each
 * handshake costs a P-256 signature and one RSA verification, both far cheaper.
 *
 * <p>The certificate says nothing else that is trusted: the identity is computed from the bound
 * hostkey, never read from a name. Wire format: {@code docs/protocol/link.md}.
 */
public final class PeerCertificates {
  /**
   * The binding extension's OID, in the {@code 2.25} arc of UUID-based identifiers (ITU-T X.667),
   * which anyone may mint without registration. Non-critical, as no other software reads it.
   */
  static final ASN1ObjectIdentifier HOSTKEY_BINDING =
      new ASN1ObjectIdentifier("2.25.200235392916532165800113162108801594063");
  /** What the hostkey signs, before the link key's DER SubjectPublicKeyInfo: a signature made for this and nothing else. */
  static final byte[] BINDING_CONTEXT = "voidphone-gossip link key v1\0".getBytes(StandardCharsets.US_ASCII);
  static final String BINDING_SIGNATURE = "SHA256withRSA";
  /** Far enough that no node outlives it; peers do not check dates (identities are keys, not time-bound). */
  private static final Duration VALIDITY = Duration.ofDays(365L * 100);

  /** What a node presents on its links: the link key pair and its certificate. */
  public record LinkCredentials(KeyPair linkKeys, X509Certificate certificate) {}

  private PeerCertificates() {}

  /** A fresh link key, bound to {@code hostkey}, in a certificate named after the identity for readability. */
  public static LinkCredentials forHostkey(KeyPair hostkey, Instant now) {
    KeyPair link = newLinkKey();
    return new LinkCredentials(link, certificate(link, hostkey, bind(link.getPublic(), hostkey), now));
  }

  /**
   * A certificate for {@code link} carrying {@code binding} as given, signed or not by the hostkey:
   * tests use it to present a forged binding. Production code uses {@link #forHostkey}.
   */
  static X509Certificate certificate(KeyPair link, KeyPair hostkey, byte[] bindingSignature, Instant now) {
    NodeId id = Identity.of(hostkey.getPublic());
    X500Name name = new X500Name("CN=" + id.hex());
    ASN1Encodable binding = new DERSequence(new ASN1Encodable[] {
        new DEROctetString(hostkey.getPublic().getEncoded()), new DEROctetString(bindingSignature)});
    try {
      X509CertificateHolder holder =
          new JcaX509v3CertificateBuilder(
                  name,
                  BigInteger.valueOf(now.toEpochMilli()),
                  Date.from(now.minus(Duration.ofDays(1))),
                  Date.from(now.plus(VALIDITY)),
                  name,
                  link.getPublic())
              .addExtension(HOSTKEY_BINDING, false, binding)
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(link.getPrivate()));
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the link certificate for " + id, e);
    }
  }

  /** The hostkey's signature that binds {@code linkKey} to it. */
  static byte[] bind(PublicKey linkKey, KeyPair hostkey) {
    try {
      Signature rsa = Signature.getInstance(BINDING_SIGNATURE);
      rsa.initSign(hostkey.getPrivate());
      rsa.update(BINDING_CONTEXT);
      rsa.update(linkKey.getEncoded());
      return rsa.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the link key with the hostkey", e);
    }
  }

  /**
   * Checks a peer's certificate completely and returns its identity: self-signed by its (EC) link
   * key, and carrying a hostkey binding whose RSA signature over that link key verifies. TLS has by
   * then proved that the peer holds the link key (CertificateVerify), so the peer holds the hostkey's
   * signature for a key it controls: it is the hostkey's owner, or was given its signature by them.
   *
   * @throws CertificateException naming what is wrong
   */
  static NodeId verify(X509Certificate cert) throws CertificateException {
    PublicKey link = cert.getPublicKey();
    if (!"EC".equals(link.getAlgorithm())) {
      throw new CertificateException("peer link key is " + link.getAlgorithm() + ", not EC");
    }
    try {
      cert.verify(link);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("peer certificate is not self-signed by its key", e);
    }
    Binding binding = binding(cert);
    int bits = ((RSAPublicKey) binding.hostkey()).getModulus().bitLength();
    if (bits < Identity.MIN_HOSTKEY_BITS || bits > Identity.MAX_HOSTKEY_BITS) {
      throw new CertificateException("peer hostkey has " + bits + " bits; allowed are "
          + Identity.MIN_HOSTKEY_BITS + ".." + Identity.MAX_HOSTKEY_BITS);
    }
    try {
      Signature rsa = Signature.getInstance(BINDING_SIGNATURE);
      rsa.initVerify(binding.hostkey());
      rsa.update(BINDING_CONTEXT);
      rsa.update(link.getEncoded());
      if (!rsa.verify(binding.signature())) {
        throw new CertificateException("peer hostkey did not sign its link key");
      }
    } catch (GeneralSecurityException e) {
      throw new CertificateException("peer hostkey binding does not verify: " + e.getMessage(), e);
    }
    return Identity.of(binding.hostkey());
  }

  /**
   * The identity a certificate names through its binding, without checking the signatures: for the
   * link layer after the handshake, whose trust manager ({@link #verify}) already checked them.
   */
  static NodeId identityOf(X509Certificate cert) throws CertificateException {
    return Identity.of(binding(cert).hostkey());
  }

  private record Binding(PublicKey hostkey, byte[] signature) {}

  private static Binding binding(X509Certificate cert) throws CertificateException {
    byte[] extension = cert.getExtensionValue(HOSTKEY_BINDING.getId());
    if (extension == null) {
      throw new CertificateException("peer certificate carries no hostkey binding");
    }
    try {
      // getExtensionValue wraps the extension's DER in an OCTET STRING
      ASN1Primitive value = ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(extension).getOctets());
      ASN1Sequence fields = ASN1Sequence.getInstance(value);
      if (fields.size() != 2) {
        throw new CertificateException("peer hostkey binding has " + fields.size() + " fields, not 2");
      }
      byte[] spki = ASN1OctetString.getInstance(fields.getObjectAt(0)).getOctets();
      byte[] signature = ASN1OctetString.getInstance(fields.getObjectAt(1)).getOctets();
      PublicKey hostkey = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
      return new Binding(hostkey, signature);
    } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
      throw new CertificateException("peer hostkey binding is malformed: " + e.getMessage(), e);
    }
  }

  private static KeyPair newLinkKey() {
    try {
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp256r1"));
      return ec.generateKeyPair();
    } catch (GeneralSecurityException e) {
      // every Java platform must provide EC on secp256r1 for TLS 1.3
      throw new IllegalStateException("this JDK cannot make P-256 keys", e);
    }
  }
}
