package voidphone.gossip.client;

/**
 * Judges a notification at once, on the client's reader thread. Keep it quick: the next
 * notification is read only when it returns. For slow checks use {@link AsyncHandler}.
 *
 * <p>A handler that throws (or returns null) sends no verdict: the node lets the item expire,
 * which drops it without blaming the peer that sent it.
 */
@FunctionalInterface
public interface Handler {
  Verdict handle(Notification notification);
}
