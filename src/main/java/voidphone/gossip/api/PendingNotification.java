package voidphone.gossip.api;

/**
 * One NOTIFICATION sent to one connection that has not been answered yet: the entry behind a
 * message id, linking the connection's VALIDATION back to the item it judges.
 */
final class PendingNotification {
  final ApiSession session;
  final int messageId;
  final Delivery delivery;
  /** False once answered, dropped with its connection, or withdrawn when its item was decided. */
  boolean pending = true;

  PendingNotification(ApiSession session, int messageId, Delivery delivery) {
    this.session = session;
    this.messageId = messageId;
    this.delivery = delivery;
  }
}
