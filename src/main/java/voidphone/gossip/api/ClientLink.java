package voidphone.gossip.api;

/**
 * The hub's handle on one API connection: the transport side (a Netty channel in production, a
 * recording fake in tests). Implementations must not call back into the hub from these methods;
 * they report a closed connection later, through {@link ApiHub#disconnected}.
 */
interface ClientLink {
  /** Queues one NOTIFICATION, written whole; it is flushed no later than the loop's next turn. */
  void sendNotification(int messageId, int dataType, byte[] data);

  /** Closes the connection because it cannot keep up; logs one WARN line with {@code reason}. */
  void closeSlowConsumer(String reason);

  /** Stops reading the connection: what the client sends next waits in its socket. */
  void pauseReading();

  /** Reads the connection again after {@link #pauseReading}. */
  void resumeReading();

  /** The client's address, for log lines. */
  String describe();
}
