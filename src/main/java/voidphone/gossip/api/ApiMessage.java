package voidphone.gossip.api;

import java.util.Arrays;
import java.util.HexFormat;
import voidphone.gossip.core.Checks;
import voidphone.gossip.core.broadcast.BroadcastMessage;

/**
 * The four messages of the local Gossip API (spec {@code gossip-api.md}, section 2).
 *
 * <p>Every numeric field is held as an {@code int} in its unsigned range: u8 for the TTL, u16 for
 * data types and message ids. The constructors reject values outside those ranges, so a message that
 * exists can always be encoded.
 */
public sealed interface ApiMessage {

  /** Largest whole message, header included: {@code size} is a u16. */
  int MAX_SIZE = 0xFFFF;
  /** {@code size u16 | type u16}. */
  int HEADER_SIZE = 4;
  /** Header plus the four bytes every API message carries before its data. */
  int FIXED_SIZE = 8;
  /**
   * Largest data item an ANNOUNCE or NOTIFICATION can carry: {@code MAX_SIZE - FIXED_SIZE}, the
   * same bound as an item's on the peer protocol, which is where it is defined.
   */
  int MAX_DATA = BroadcastMessage.MAX_DATA;

  int TYPE_ANNOUNCE = 500;
  int TYPE_NOTIFY = 501;
  int TYPE_NOTIFICATION = 502;
  int TYPE_VALIDATION = 503;

  /** The message type number written in the header. */
  int type();

  /** Module to gossip: spread {@code data} of {@code dataType}, at most {@code ttl} hops (0 = unlimited). */
  record Announce(int ttl, int dataType, byte[] data) implements ApiMessage {
    public Announce {
      Checks.requireRange("ttl", ttl, 0, 0xFF);
      Checks.requireRange("data type", dataType, 0, 0xFFFF);
      requireData(data);
    }

    @Override
    public int type() {
      return TYPE_ANNOUNCE;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Announce a && a.ttl == ttl && a.dataType == dataType && Arrays.equals(a.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * ttl + dataType) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Announce[ttl=" + ttl + ", type=" + dataType + ", data=" + preview(data) + "]";
    }
  }

  /** Module to gossip: notify this connection of items of {@code dataType}. */
  record Notify(int dataType) implements ApiMessage {
    public Notify {
      Checks.requireRange("data type", dataType, 0, 0xFFFF);
    }

    @Override
    public int type() {
      return TYPE_NOTIFY;
    }
  }

  /** Gossip to module: a new item; answer with a {@link Validation} carrying {@code messageId}. */
  record Notification(int messageId, int dataType, byte[] data) implements ApiMessage {
    public Notification {
      Checks.requireRange("message id", messageId, 0, 0xFFFF);
      Checks.requireRange("data type", dataType, 0, 0xFFFF);
      requireData(data);
    }

    @Override
    public int type() {
      return TYPE_NOTIFICATION;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Notification n
          && n.messageId == messageId
          && n.dataType == dataType
          && Arrays.equals(n.data, data);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * messageId + dataType) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
      return "Notification[id=" + messageId + ", type=" + dataType + ", data=" + preview(data) + "]";
    }
  }

  /** Module to gossip: the verdict on the notification {@code messageId}. */
  record Validation(int messageId, boolean valid) implements ApiMessage {
    public Validation {
      Checks.requireRange("message id", messageId, 0, 0xFFFF);
    }

    @Override
    public int type() {
      return TYPE_VALIDATION;
    }
  }

  private static void requireData(byte[] data) {
    if (data.length > MAX_DATA) {
      throw new IllegalArgumentException("data of " + data.length + " bytes exceeds " + MAX_DATA);
    }
  }

  private static String preview(byte[] data) {
    int shown = Math.min(data.length, 16);
    String hex = HexFormat.of().formatHex(data, 0, shown);
    return data.length + "B:" + hex + (shown < data.length ? "..." : "");
  }
}
