package voidphone.gossip.api;

import java.util.ArrayList;
import java.util.List;

/**
 * An API connection without a socket: records what the hub sends it, and reports its own close to
 * the hub on the loop's next turn, as Netty does.
 */
final class FakeClient implements ClientLink {
  private final String name;
  private final ApiHub hub;
  private final VirtualLoop loop;
  final List<ApiMessage.Notification> received = new ArrayList<>();
  String closedFor;
  boolean readingPaused;
  ApiSession session;

  private FakeClient(String name, ApiHub hub, VirtualLoop loop) {
    this.name = name;
    this.hub = hub;
    this.loop = loop;
  }

  static FakeClient connect(String name, ApiHub hub, VirtualLoop loop) {
    FakeClient c = new FakeClient(name, hub, loop);
    c.session = hub.connected(c);
    return c;
  }

  FakeClient subscribe(int dataType) {
    hub.received(session, new ApiMessage.Notify(dataType));
    return this;
  }

  void announce(int ttl, int dataType, byte[] data) {
    hub.received(session, new ApiMessage.Announce(ttl, dataType, data));
  }

  void validate(int messageId, boolean valid) {
    hub.received(session, new ApiMessage.Validation(messageId, valid));
  }

  /** Answers the most recent notification. */
  void validateLast(boolean valid) {
    validate(last().messageId(), valid);
  }

  ApiMessage.Notification last() {
    return received.getLast();
  }

  void disconnect() {
    hub.disconnected(session);
  }

  @Override
  public void sendNotification(int messageId, int dataType, byte[] data) {
    received.add(new ApiMessage.Notification(messageId, dataType, data));
  }

  @Override
  public void closeSlowConsumer(String reason) {
    closedFor = reason;
    loop.execute(() -> hub.disconnected(session));
  }

  @Override
  public void pauseReading() {
    readingPaused = true;
  }

  @Override
  public void resumeReading() {
    readingPaused = false;
  }

  @Override
  public String describe() {
    return name;
  }
}
