package voidphone.gossip.identity;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import voidphone.gossip.config.IoErrors;

/**
 * PEM text to an RSA key pair and back. Reads both forms found in the wild (PKCS#1 {@code RSA PRIVATE
 * KEY} from {@code openssl genrsa -traditional}, PKCS#8 {@code PRIVATE KEY} from {@code openssl
 * genpkey}) and tolerates a {@code PUBLIC KEY} block beside the private key; writes PKCS#8.
 *
 * <p>BouncyCastle is used only to parse PEM and ASN.1; the keys themselves come from the JDK's own
 * provider, so no security provider is registered globally.
 */
final class PemKeys {
  static final int MIN_BITS = Identity.MIN_HOSTKEY_BITS;
  static final int MAX_BITS = Identity.MAX_HOSTKEY_BITS;

  private PemKeys() {}

  /**
   * Parses {@code pem}; the exception's message is the problem alone (the caller names the file).
   */
  static KeyPair parse(String pem) throws InvalidPemException {
    PrivateKeyInfo privateInfo = null;
    SubjectPublicKeyInfo publicInfo = null;
    try (PEMParser parser = new PEMParser(new StringReader(pem))) {
      Object block;
      while ((block = parser.readObject()) != null) {
        switch (block) {
          case PEMKeyPair pair -> privateInfo = onlyOne(privateInfo, pair.getPrivateKeyInfo());
          case PrivateKeyInfo info -> privateInfo = onlyOne(privateInfo, info);
          case SubjectPublicKeyInfo info -> publicInfo = info;
          case PEMEncryptedKeyPair ignored -> throw encrypted();
          case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted();
          default -> throw new InvalidPemException(
              "holds an unexpected PEM block (" + block.getClass().getSimpleName() + "), not a private key");
        }
      }
    } catch (IOException e) {
      // PEMParser reports bad base64 or ASN.1 this way; the text is all we can pass on.
      throw new InvalidPemException("is not a valid PEM key: " + IoErrors.oneLine(e.getMessage()));
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidPemException("is not a valid PEM key: " + IoErrors.oneLine(e.getMessage()));
    }
    if (privateInfo == null) {
      throw new InvalidPemException(
          "holds no private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    }
    KeyPair pair = toRsaKeyPair(privateInfo);
    if (publicInfo != null) {
      requireSamePublicKey(pair.getPublic(), publicInfo);
    }
    return pair;
  }

  private static PrivateKeyInfo onlyOne(PrivateKeyInfo earlier, PrivateKeyInfo next) throws InvalidPemException {
    if (earlier != null) {
      throw new InvalidPemException("holds more than one private key; a hostkey file holds exactly one");
    }
    return next;
  }

  private static InvalidPemException encrypted() {
    return new InvalidPemException(
        "is encrypted with a passphrase, which a node cannot type; decrypt it with 'openssl pkey -in FILE -out NEWFILE'");
  }

  private static KeyPair toRsaKeyPair(PrivateKeyInfo info) throws InvalidPemException {
    var algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (!PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      throw new InvalidPemException("holds a non-RSA key (algorithm " + algorithm.getId() + "); the hostkey must be RSA");
    }
    try {
      KeyFactory rsa = KeyFactory.getInstance("RSA");
      PrivateKey privateKey = rsa.generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      if (!(privateKey instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent() == null) {
        throw new InvalidPemException("holds an RSA key without its public exponent; cannot derive the public key");
      }
      requireSaneSize(crt);
      // The public key is not stored apart from the private key in either format; derive it.
      PublicKey publicKey = rsa.generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      return new KeyPair(publicKey, privateKey);
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidPemException("holds an RSA key that cannot be decoded: " + IoErrors.oneLine(e.getMessage()));
    }
  }

  private static void requireSaneSize(RSAPrivateCrtKey key) throws InvalidPemException {
    int bits = key.getModulus().bitLength();
    if (bits < MIN_BITS || bits > MAX_BITS) {
      throw new InvalidPemException(
          "holds a " + bits + "-bit RSA key; allowed are " + MIN_BITS + ".." + MAX_BITS + " bits (4096 recommended)");
    }
    BigInteger p = key.getPrimeP();
    BigInteger q = key.getPrimeQ();
    // A damaged file can still parse; a modulus that is not p*q would only fail later, in a handshake.
    if (p != null && q != null && !p.multiply(q).equals(key.getModulus())) {
      throw new InvalidPemException("holds an inconsistent RSA key (modulus is not p*q); the file is damaged");
    }
  }

  private static void requireSamePublicKey(PublicKey derived, SubjectPublicKeyInfo block) throws InvalidPemException {
    try {
      PublicKey stated = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(block.getEncoded()));
      if (!(stated instanceof RSAPublicKey rsa) || !rsa.getModulus().equals(((RSAPublicKey) derived).getModulus())) {
        throw new InvalidPemException("holds a PUBLIC KEY block that does not belong to its private key");
      }
    } catch (GeneralSecurityException | IOException e) {
      throw new InvalidPemException("holds a PUBLIC KEY block that is not an RSA key: " + IoErrors.oneLine(e.getMessage()));
    }
  }

  /** PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), 64 base64 characters a line, as openssl writes. */
  static String toPkcs8Pem(PrivateKey key) {
    if (!"PKCS#8".equals(key.getFormat())) {
      throw new IllegalArgumentException("private key encodes as " + key.getFormat() + ", not PKCS#8");
    }
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n";
  }
}
