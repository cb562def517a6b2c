package voidphone.gossip.core;

/**
 * The range checks of every configuration record and message record: one wording for every
 * "outside" error, so an operator or a test reads the same sentence wherever a bound is hit.
 */
public final class Checks {
  private Checks() {}

  /** @throws IllegalArgumentException naming {@code field} unless {@code min <= value <= max} */
  public static void requireRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is outside " + min + ".." + max);
    }
  }

  /** @throws IllegalArgumentException naming {@code field} unless {@code value > 0} */
  public static void requirePositive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " = " + value + " must be positive");
    }
  }
}
