package voidphone.gossip.client;

import java.util.concurrent.CompletionStage;

/**
 * Judges a notification later: returns at once with a stage the module completes, on any thread,
 * when it has decided. Called on the client's reader thread.
 *
 * <p>Until the stage completes the notification counts against {@link Options#maxPendingVerdicts()}.
 * A stage completed exceptionally or with null sends no verdict: the node lets the item expire. A
 * verdict that comes after the connection it belongs to was lost is dropped (its message id meant
 * nothing to the new connection, and the node has forgotten it).
 */
@FunctionalInterface
public interface AsyncHandler {
  CompletionStage<Verdict> handle(Notification notification);
}
