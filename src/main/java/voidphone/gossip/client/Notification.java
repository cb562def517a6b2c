package voidphone.gossip.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * One item the node asks a module to judge: its data type and its data. The API's message id is
 * not here on purpose: the client keeps it and answers with it, so a handler cannot answer the
 * wrong notification.
 *
 * @param dataType the item's data type, 0..65535
 * @param data the item's bytes, this notification's own copy (at least one byte in practice)
 */
public record Notification(int dataType, byte[] data) {
  public Notification {
    Objects.requireNonNull(data, "data");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Notification n && n.dataType == dataType && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * dataType + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Notification[dataType=" + dataType + ", " + data.length + " bytes]";
  }
}
