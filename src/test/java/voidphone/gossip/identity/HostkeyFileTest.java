package voidphone.gossip.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Loading and writing hostkeys; the fixtures and their identities are described in {@link KeyFixtures}. */
class HostkeyFileTest {
  private static final String PKCS1_ID = KeyFixtures.PKCS1_ID;
  private static final String PKCS8_ID = KeyFixtures.PKCS8_ID;
  private static final String WITH_PUBLIC_ID = KeyFixtures.WITH_PUBLIC_ID;

  @TempDir Path dir;

  private static Path fixture(String name) {
    return KeyFixtures.path(name);
  }

  private Path copyWith(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pkcs1.pem, " + PKCS1_ID,
    "pkcs8.pem, " + PKCS8_ID,
    "pkcs1-with-public.pem, " + WITH_PUBLIC_ID
  })
  void keyLoadsWithTheIdentityOpensslComputes(String file, String identity) throws Exception {
    assertThat(HostkeyFile.load(fixture(file)).id().hex()).isEqualTo(identity);
  }

  @Test
  void derivedPublicKeyVerifiesWhatThePrivateKeySigns() throws Exception {
    KeyPair pair = HostkeyFile.load(fixture("pkcs1.pem")).keyPair();
    byte[] message = "hello peers".getBytes(StandardCharsets.UTF_8);

    Signature signer = Signature.getInstance("SHA256withRSA");
    signer.initSign(pair.getPrivate());
    signer.update(message);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance("SHA256withRSA");
    verifier.initVerify(pair.getPublic());
    verifier.update(message);

    assertThat(verifier.verify(signature)).isTrue();
    assertThat(((RSAPublicKey) pair.getPublic()).getModulus().bitLength()).isEqualTo(4096);
  }

  @Test
  void textAroundThePemBlockIsTolerated() throws Exception {
    Path file = copyWith("k.pem", "written by hand\n" + Files.readString(fixture("pkcs8.pem")) + "\ntrailing notes\n");

    assertThat(HostkeyFile.load(file).id().hex()).isEqualTo(PKCS8_ID);
  }

  @Test
  void loadedKeyHasNoProofOfWorkYet() throws Exception {
    assertThat(HostkeyFile.load(fixture("pkcs8.pem")).pow()).isEqualTo(PowStamp.NONE);
  }

  @Test
  void garbageIsRejectedNamingTheFileAndWhatWasExpected() throws Exception {
    Path file = copyWith("garbage.pem", "this is not a key\n");

    assertThatThrownBy(() -> HostkeyFile.load(file))
        .isInstanceOf(HostkeyException.class)
        .hasMessage(file + ": holds no private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
  }

  @Test
  void emptyFileIsRejected() throws Exception {
    Path file = copyWith("empty.pem", "");

    assertThatThrownBy(() -> HostkeyFile.load(file)).hasMessageStartingWith(file + ": holds no private key");
  }

  @Test
  void damagedBase64IsRejectedOnOneLine() throws Exception {
    String pem = Files.readString(fixture("pkcs8.pem"));
    Path file = copyWith("damaged.pem", pem.substring(0, 200) + "!!!!" + pem.substring(204));

    assertThatThrownBy(() -> HostkeyFile.load(file))
        .isInstanceOf(HostkeyException.class)
        .hasMessageStartingWith(file + ": ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void truncatedKeyIsRejected() throws Exception {
    String pem = Files.readString(fixture("pkcs1.pem"));
    List<String> lines = pem.lines().toList();
    String cut = String.join("\n", lines.subList(0, 10)) + "\n" + lines.get(lines.size() - 1) + "\n";
    Path file = copyWith("truncated.pem", cut);

    assertThatThrownBy(() -> HostkeyFile.load(file)).isInstanceOf(HostkeyException.class).hasMessageStartingWith(file + ": ");
  }

  @Test
  void ecKeyIsRejectedAsNotRsa() {
    Path file = fixture("ec.pem");
    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": holds a non-RSA key (algorithm 1.2.840.10045.2.1); the hostkey must be RSA");
  }

  @Test
  void encryptedKeyIsRejectedWithAHintToDecryptIt() {
    Path file = fixture("encrypted.pem");
    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessageStartingWith(file + ": is encrypted with a passphrase")
        .hasMessageContaining("openssl pkey");
  }

  @Test
  void keyBelow2048BitsIsRejected() {
    Path file = fixture("rsa1024.pem");
    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": holds a 1024-bit RSA key; allowed are 2048..16384 bits (4096 recommended)");
  }

  @Test
  void publicBlockOfAnotherKeyIsRejected() throws Exception {
    String publicBlock = Files.readString(fixture("pkcs1-with-public.pem"));
    publicBlock = publicBlock.substring(publicBlock.indexOf("-----BEGIN PUBLIC KEY-----"));
    Path file = copyWith("mixed.pem", Files.readString(fixture("pkcs8.pem")) + publicBlock);

    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": holds a PUBLIC KEY block that does not belong to its private key");
  }

  @Test
  void twoPrivateKeysAreRejected() throws Exception {
    Path file = copyWith("two.pem", Files.readString(fixture("pkcs8.pem")) + Files.readString(fixture("pkcs1.pem")));

    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": holds more than one private key; a hostkey file holds exactly one");
  }

  @Test
  void fileBeyondTheSizeLimitIsRejectedUnparsed() throws Exception {
    Path file = copyWith("huge.pem", Files.readString(fixture("pkcs8.pem")) + "#".repeat(HostkeyFile.MAX_FILE_BYTES));

    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": is larger than 65536 bytes, too large for a PEM key");
  }

  @Test
  void missingFileIsAnErrorWithAKeygenHint() {
    Path file = dir.resolve("absent.pem");
    assertThatThrownBy(() -> HostkeyFile.load(file))
        .hasMessage(file + ": hostkey does not exist; run 'gossip keygen " + file + "' to create one");
  }

  @Test
  void directoryIsRejected() {
    assertThatThrownBy(() -> HostkeyFile.load(dir)).hasMessage(dir + ": cannot read hostkey: Is a directory");
  }

  @Test
  void writtenKeyIsPkcs8PemThatLoadsWithTheSameIdentity() throws Exception {
    KeyPair pair = HostkeyFile.load(fixture("pkcs1.pem")).keyPair();
    Path file = dir.resolve("written.pem");

    HostkeyFile.write(file, pair);

    assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(Files.readAllLines(file)).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
    assertThat(HostkeyFile.load(file).id().hex()).isEqualTo(PKCS1_ID);
  }

  @Test
  void writtenKeyIsReadableByItsOwnerOnly() throws Exception {
    Path file = dir.resolve("secret.pem");

    HostkeyFile.write(file, HostkeyFile.load(fixture("pkcs8.pem")).keyPair());

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void writeRefusesToReplaceAnExistingFile() throws Exception {
    Path file = copyWith("existing.pem", "precious");
    KeyPair pair = HostkeyFile.load(fixture("pkcs8.pem")).keyPair();

    assertThatThrownBy(() -> HostkeyFile.write(file, pair)).isInstanceOf(FileAlreadyExistsException.class);
    assertThat(Files.readString(file)).isEqualTo("precious");
  }

  @Test
  void generatedKeyHasTheRequestedSizeAndLoadsBack() throws Exception {
    KeyPair pair = HostkeyFile.generate(2048, new SecureRandom());
    Path file = dir.resolve("fresh.pem");
    HostkeyFile.write(file, pair);

    Hostkey loaded = HostkeyFile.load(file);

    assertThat(((RSAPublicKey) loaded.keyPair().getPublic()).getModulus().bitLength()).isEqualTo(2048);
    assertThat(loaded.id()).isEqualTo(Identity.of(pair.getPublic()));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pkcs1.pem, -----BEGIN RSA PRIVATE KEY-----",
    "pkcs8.pem, -----BEGIN PRIVATE KEY-----",
    "pkcs1-with-public.pem, -----BEGIN RSA PRIVATE KEY-----"
  })
  void fixtureIsInTheFormItsTestsClaim(String file, String firstLine) throws Exception {
    // Without this, a fixture regenerated in the other form would leave one form untested.
    assertThat(Files.readAllLines(fixture(file)).get(0)).isEqualTo(firstLine);
  }
}
