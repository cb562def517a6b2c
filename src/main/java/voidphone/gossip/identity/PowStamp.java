package voidphone.gossip.identity;

/**
 * A solved {@link ProofOfWork} for one identity: the nonce and the difficulty it was solved for.
 * Peers check the nonce against the difficulty <em>they</em> require, never against the claimed one.
 */
public record PowStamp(int difficulty, long nonce) {
  /** No work at all: difficulty 0 is met by every nonce. For tests and keys without a stamp yet. */
  public static final PowStamp NONE = new PowStamp(0, 0);

  public PowStamp {
    if (difficulty < 0 || difficulty > ProofOfWork.MAX_VERIFIABLE_DIFFICULTY) {
      throw new IllegalArgumentException(
          "difficulty " + difficulty + " is outside 0.." + ProofOfWork.MAX_VERIFIABLE_DIFFICULTY);
    }
  }

  /** The stamp's one-line file form: {@code <difficulty> <nonce>}, the nonce as unsigned decimal. */
  @Override
  public String toString() {
    return difficulty + " " + Long.toUnsignedString(nonce);
  }
}
