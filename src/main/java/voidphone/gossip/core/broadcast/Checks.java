package voidphone.gossip.core.broadcast;

/** Range checks shared by the message records and the core's local inputs. */
final class Checks {
  private Checks() {}

  static void requireRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is outside " + min + ".." + max);
    }
  }

  static void requireData(byte[] data) {
    requireRange("data length", data.length, 1, BroadcastMessage.MAX_DATA);
  }
}
