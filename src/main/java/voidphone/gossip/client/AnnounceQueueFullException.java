package voidphone.gossip.client;

/**
 * An announce found the outgoing queue full for the whole {@link Options#announceTimeout()}: the
 * node is not reachable, or reads slower than the module announces. Nothing was queued.
 */
public final class AnnounceQueueFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  AnnounceQueueFullException(String message) {
    super(message);
  }
}
