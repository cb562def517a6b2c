package voidphone.gossip.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * One item the node asks a module to judge: its data type and its data. A handler answers by
 * returning its verdict; the client sends it with this notification's message id, so a handler
 * never has to handle ids (nor can it answer the wrong notification).
 *
 * @param dataType the item's data type, 0..65535
 * @param data the item's bytes, this notification's own copy (at least one byte in practice)
 * @param messageId the API's message id, for logs only: it is unique only among this
 *     connection's pending notifications, and is not the item's network-wide id
 */
public record Notification(int dataType, byte[] data, int messageId) {
  public Notification {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notification n && n.dataType == dataType && n.messageId == messageId
        && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * dataType + messageId) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Notification[dataType=" + dataType + ", " + data.length + " bytes, messageId=" + messageId + "]";
  }
}
