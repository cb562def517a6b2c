package voidphone.gossip.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import voidphone.gossip.core.NodeId;

class ProofOfWorkTest {
  /** Identity bytes 0x01..0x20; the expected nonces were computed with Python's hashlib. */
  static final NodeId FIXED = NodeId.fromHex("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");

  private static final long SEED = Long.getLong("gossip.test.seed", 20240611L);

  @ParameterizedTest(name = "difficulty {0} -> nonce {1}")
  @CsvSource({"0, 0", "1, 0", "8, 581", "12, 4024", "16, 50216"})
  void solveFindsTheSmallestNonceThatAnIndependentImplementationFinds(int difficulty, long nonce) {
    assertThat(ProofOfWork.solve(FIXED, difficulty)).isEqualTo(nonce);
  }

  @Test
  void leadingZeroBitsMatchAnIndependentImplementation() {
    assertThat(ProofOfWork.leadingZeroBits(FIXED, 0)).isEqualTo(1);
    assertThat(ProofOfWork.leadingZeroBits(FIXED, 1)).isEqualTo(0);
    assertThat(ProofOfWork.leadingZeroBits(FIXED, 4024)).isEqualTo(13);
  }

  @Test
  void verifyAcceptsANonceUpToTheBitsItHasAndNoFurther() {
    assertThat(ProofOfWork.verify(FIXED, 4024, 13)).isTrue();
    assertThat(ProofOfWork.verify(FIXED, 4024, 14)).isFalse();
  }

  @Test
  void everyNonceMeetsDifficultyZero() {
    assertThat(ProofOfWork.verify(FIXED, 1, 0)).isTrue();
  }

  @Test
  void solvedNoncesVerifyForRandomIdentities() {
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = 0; i < 20; i++) {
      NodeId id = new NodeId(random.nextLong(), random.nextLong(), random.nextLong(), random.nextLong());
      int difficulty = random.nextInt(0, 13);
      long nonce = ProofOfWork.solve(id, difficulty);
      assertThat(ProofOfWork.verify(id, nonce, difficulty)).as("seed %d, id %s", SEED, id.hex()).isTrue();
    }
  }

  @Test
  void aNonceSolvedForOneIdentityDoesNotServeAnother() {
    NodeId other = NodeId.fromHex("2102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
    assertThat(ProofOfWork.verify(other, 50216, 16)).isFalse();
  }

  @Test
  void difficultyOutsideTheHashWidthIsRejected() {
    assertThatThrownBy(() -> ProofOfWork.verify(FIXED, 0, 257)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProofOfWork.verify(FIXED, 0, -1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void difficultyNoNonceCanBeExpectedToMeetIsNotAttempted() {
    assertThatThrownBy(() -> ProofOfWork.solve(FIXED, 64)).isInstanceOf(IllegalArgumentException.class);
  }
}
