package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import voidphone.gossip.identity.HostkeyFile;
import voidphone.gossip.identity.PowFile;
import voidphone.gossip.identity.ProofOfWork;

/** {@code gossip keygen} and {@code gossip identity} as an operator runs them. */
class KeyCommandsProcessTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "pkcs1.pem, " + KeyFixtures.PKCS1_ID,
    "pkcs8.pem, " + KeyFixtures.PKCS8_ID,
    "pkcs1-with-public.pem, " + KeyFixtures.WITH_PUBLIC_ID
  })
  void identityPrintsTheHexOpensslComputes(String file, String identity) throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "identity", KeyFixtures.path(file).toString());

    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.stdout()).isEqualTo(identity + "\n");
  }

  @Test
  void identityOfAFileThatIsNoKeyIsOneLineAndExit2() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello\n");

    CliProcess.Result result = CliProcess.run(dir, "identity", "garbage.pem");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderrLines()).containsExactly(
        "garbage.pem: holds no private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
    assertThat(garbage).exists();
  }

  @Test
  void identityOfAMissingFileIsOneLineAndExit2() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "identity", "missing.pem");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(2);
    assertThat(result.stderrLines()).hasSize(1);
    assertThat(result.stderr()).startsWith("missing.pem: ");
  }

  @Test
  void keygenIntoAMissingDirectoryFailsBeforeGeneratingAKey() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "keygen", "nodir/node.pem");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    // the one line is the error: no "generating a 4096-bit RSA key" line came before it
    assertThat(result.stderrLines()).containsExactly(
        "nodir/node.pem: cannot write hostkey: directory nodir does not exist (create it first)");
    assertThat(dir.resolve("nodir")).doesNotExist();
  }

  @Test
  void keygenWritesAnOwnerOnlyKeyAndItsProofAndPrintsTheIdentity() throws Exception {
    CliProcess.Result result = CliProcess.run(dir, "keygen", "--pow-difficulty", "6", "node.pem");

    assertThat(result.exitCode()).as(result.toString()).isZero();
    Path key = dir.resolve("node.pem");
    var hostkey = HostkeyFile.load(key);
    assertThat(result.stdout()).isEqualTo(hostkey.id().hex() + "\n");
    assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    String[] stamp = Files.readString(PowFile.pathFor(key)).strip().split(" ");
    assertThat(stamp[0]).isEqualTo("6");
    assertThat(ProofOfWork.verify(hostkey.id(), Long.parseUnsignedLong(stamp[1]), 6)).isTrue();
  }

  @Test
  void keygenRefusesToOverwriteAnExistingFile() throws Exception {
    Path existing = Files.writeString(dir.resolve("node.pem"), "someone's identity");

    CliProcess.Result result = CliProcess.run(dir, "keygen", "node.pem");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
    assertThat(result.stderrLines()).containsExactly(
        "node.pem: already exists; refusing to overwrite a hostkey (an identity is lost with it)");
    assertThat(result.stdout()).isEmpty();
    assertThat(Files.readString(existing)).isEqualTo("someone's identity");
    assertThat(PowFile.pathFor(existing)).doesNotExist();
  }
}
