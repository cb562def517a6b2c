package voidphone.gossip.client;

/**
 * Hears every change of a client's {@link ConnectionState}, on the client's connection thread (or
 * the thread that calls {@code close()} for the last one). It must not block: the client does not
 * read or reconnect while it runs. An exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ConnectionListener {
  /**
   * @param state the new state
   * @param cause why the connection was lost, with a message naming the API address; null for
   *     {@link ConnectionState#CONNECTED} and for a {@link ConnectionState#CLOSED} that
   *     {@code close()} caused
   */
  void onStateChange(ConnectionState state, Throwable cause);
}
