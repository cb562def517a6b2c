package voidphone.gossip.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.core.NodeId;

class PowFileTest {
  private static final NodeId ID = ProofOfWorkTest.FIXED;
  /** For {@link #ID}: 581 is the smallest nonce with 8 zero bits, 626 the next one. */
  private static final long SMALLEST_8 = 581;
  private static final long SECOND_8 = 626;

  @TempDir Path dir;

  private Path key() {
    return dir.resolve("node.pem");
  }

  private Path powFile() {
    return dir.resolve("node.pem.pow");
  }

  @Test
  void stampIsKeptBesideTheKeyWithPowAppended() {
    assertThat(PowFile.pathFor(key())).isEqualTo(powFile());
  }

  @Test
  void missingStampIsSolvedAndStoredAsDifficultyAndNonce() throws Exception {
    PowStamp stamp = PowFile.ensure(key(), ID, 8);

    assertThat(stamp).isEqualTo(new PowStamp(8, SMALLEST_8));
    assertThat(Files.readString(powFile())).isEqualTo("8 581\n");
  }

  @Test
  void validStoredStampIsReusedInsteadOfSolvedAgain() throws Exception {
    // Solving always finds the smallest nonce, so getting the second one back proves reuse.
    Files.writeString(powFile(), "8 " + SECOND_8 + "\n");

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(8, SECOND_8));
  }

  @Test
  void storedStampForAHigherDifficultyServesALowerOne() throws Exception {
    Files.writeString(powFile(), "16 50216\n");

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(16, 50216));
  }

  @Test
  void storedStampBelowTheConfiguredDifficultyIsSolvedAgainAndReplaced() throws Exception {
    Files.writeString(powFile(), "8 " + SECOND_8 + "\n");

    assertThat(PowFile.ensure(key(), ID, 12)).isEqualTo(new PowStamp(12, 4024));
    assertThat(Files.readString(powFile())).isEqualTo("12 4024\n");
  }

  @Test
  void stampThatDoesNotFitTheIdentityIsSolvedAgain() throws Exception {
    Files.writeString(powFile(), "8 " + (SMALLEST_8 + 1) + "\n"); // claims 8 bits, has fewer

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(8, SMALLEST_8));
  }

  @Test
  void garbledStampIsSolvedAgain() throws Exception {
    Files.writeString(powFile(), "eight five-eighty-one\n");

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(8, SMALLEST_8));
  }

  @Test
  void oversizedStampFileIsNotParsed() throws Exception {
    Files.writeString(powFile(), "8 " + SECOND_8 + " ".repeat(PowFile.MAX_FILE_BYTES) + "\n");

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(8, SMALLEST_8));
  }

  @Test
  void unsignedNonceAbove2To63RoundTrips() {
    assertThat(PowFile.parse("3 18446744073709551615")).contains(new PowStamp(3, -1L));
    assertThat(PowFile.parse("3 18446744073709551616")).isEmpty();
  }

  @Test
  void stampIsReturnedEvenWhenItCannotBeStored() throws Exception {
    Files.createDirectory(dir.resolve("node.pem.pow.tmp")); // the temporary file cannot be created

    assertThat(PowFile.ensure(key(), ID, 8)).isEqualTo(new PowStamp(8, SMALLEST_8));
    assertThat(powFile()).doesNotExist();
  }
}
