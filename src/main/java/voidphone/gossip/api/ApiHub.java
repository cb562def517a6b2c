package voidphone.gossip.api;

import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.broadcast.Verdict;

/**
 * The meeting point of local modules and the P2P layer: who subscribed to which data type, which
 * notifications await a VALIDATION, and what the verdict on each received item is.
 *
 * <p>Confined to the node's event-loop thread: every method must be called there, and every
 * callback ({@link Spreader}, {@link VerdictListener}) runs there. There are no locks.
 *
 * <p>Bounds: a connection can have at most 65,536 notifications pending (message ids are u16);
 * one more closes it as a slow consumer. Every pending notification is withdrawn after the
 * validation timeout. Subscriptions per connection are bounded by the 65,536 data types.
 */
public final class ApiHub {
  private static final Logger log = LoggerFactory.getLogger(ApiHub.class);

  /**
   * Data in held ANNOUNCEs past which a connection is no longer read: about one largest item, or
   * hundreds of small ones, per connection.
   */
  static final int HELD_BYTES = 64 * 1024;

  private final Spreader spreader;
  private final LoopScheduler scheduler;
  private final ExpiryQueue awaitingVerdicts;
  private final Set<ApiSession> sessions = new LinkedHashSet<>();
  private final IntObjectHashMap<Subscribers> byDataType = new IntObjectHashMap<>();

  ApiHub(Spreader spreader, LoopScheduler scheduler, Duration validationTimeout) {
    if (validationTimeout.isNegative() || validationTimeout.isZero()) {
      throw new IllegalArgumentException("validation timeout must be positive: " + validationTimeout);
    }
    this.spreader = spreader;
    this.scheduler = scheduler;
    this.awaitingVerdicts = new ExpiryQueue(scheduler, validationTimeout.toNanos());
  }

  /**
   * Hands the local subscribers an item received from a peer. Every connection subscribed to
   * {@code dataType} gets a NOTIFICATION; {@code listener} then gets the {@link Verdict}, exactly
   * once and never from inside this call (UNWANTED, when nobody subscribed, comes on the loop's next
   * turn), so the caller may be in the middle of a protocol step.
   *
   * <p>{@code data} is sent as it is and must not change afterwards; it must fit a NOTIFICATION.
   *
   * @throws IllegalArgumentException when {@code dataType} is not a u16 or {@code data} is empty or
   *     longer than {@link ApiMessage#MAX_DATA}: the P2P layer must never accept such an item
   */
  public void deliverFromNetwork(int dataType, byte[] data, VerdictListener listener) {
    if (dataType < 0 || dataType > 0xFFFF || data.length == 0 || data.length > ApiMessage.MAX_DATA) {
      throw new IllegalArgumentException(
          "cannot notify data type " + dataType + " with " + data.length + " bytes of data");
    }
    Subscribers subscribers = byDataType.get(dataType);
    Delivery delivery =
        Delivery.fromNetwork(listener, subscribers == null ? 0 : subscribers.size());
    if (subscribers != null) {
      notifyEach(subscribers.snapshot(), null, dataType, data, delivery);
    }
    if (delivery.notifiedCount() == 0) {
      scheduler.execute(() -> listener.onVerdict(Verdict.UNWANTED));
    }
  }

  /** Whether any local module subscribed to {@code dataType}: items of other types are not spread. */
  public boolean hasSubscribers(int dataType) {
    Subscribers subscribers = byDataType.get(dataType);
    return subscribers != null && !subscribers.isEmpty();
  }

  /** A new API connection; the transport reports every message it decodes with the result. */
  ApiSession connected(ClientLink link) {
    ApiSession session = new ApiSession(link);
    sessions.add(session);
    log.info("API client {} connected", link.describe());
    return session;
  }

  /**
   * One well-formed message from {@code session}, in arrival order. ANNOUNCEs the spreader asks to
   * wait ({@link Spreader#admissionDelayMillis}) are held, in order, and spread once admitted; the
   * connection's other messages are handled at once, since none depends on an ANNOUNCE before it
   * (an announcer is never notified of its own item), so a module's VALIDATIONs are not held up by
   * its own announcements. Past {@link #HELD_BYTES} of held data the connection is not read until
   * half of it has been spread: the client's writes slow down, and nothing it sent is lost.
   */
  void received(ApiSession session, ApiMessage message) {
    if (session.released) {
      return;
    }
    switch (message) {
      case ApiMessage.Announce a -> admit(session, a);
      case ApiMessage.Notify n -> subscribe(session, n.dataType());
      case ApiMessage.Validation v -> validate(session, v);
      case ApiMessage.Notification n ->
          throw new IllegalArgumentException("the decoder never accepts a NOTIFICATION: " + n);
    }
  }

  /** Spreads {@code a} now, or holds it behind the connection's earlier ones until admitted. */
  private void admit(ApiSession session, ApiMessage.Announce a) {
    if (session.held.isEmpty() && !waitsForAdmission(session)) {
      announce(session, a);
      return;
    }
    session.hold(a);
    if (session.heldBytes >= HELD_BYTES && !session.readingPaused) {
      session.readingPaused = true;
      session.link.pauseReading();
    }
  }

  /**
   * Whether the connection's next ANNOUNCE must wait; if so, schedules {@link #releaseHeld} for
   * when the spreader expects to admit it.
   */
  private boolean waitsForAdmission(ApiSession session) {
    long delay = spreader.admissionDelayMillis();
    if (delay <= 0) {
      return false;
    }
    scheduler.schedule(TimeUnit.MILLISECONDS.toNanos(delay), () -> releaseHeld(session));
    return true;
  }

  /**
   * Spreads held ANNOUNCEs in order until one must wait again, and reads the connection again once
   * enough has gone. Those of a connection that closed meanwhile are still spread: they were
   * accepted.
   */
  private void releaseHeld(ApiSession session) {
    while (!session.held.isEmpty() && !waitsForAdmission(session)) {
      announce(session, session.unhold());
    }
    if (session.readingPaused && session.heldBytes < HELD_BYTES / 2 && !session.released) {
      session.readingPaused = false;
      session.link.resumeReading();
    }
  }

  /**
   * The connection is gone: its subscriptions vanish and its pending notifications are no longer
   * waited for. Called after every message that arrived before the close was {@link #received}.
   */
  void disconnected(ApiSession session) {
    if (session.released) {
      return;
    }
    unsubscribeAll(session);
    session.released = true;
    sessions.remove(session);
    List<PendingNotification> dropped = session.takeAllPending();
    if (dropped.isEmpty()) {
      log.info("API client {} disconnected", session.link.describe());
    } else {
      log.info(
          "API client {} disconnected; {} notifications awaiting its VALIDATION no longer wait",
          session.link.describe(),
          dropped.size());
    }
    for (PendingNotification p : dropped) {
      p.delivery.subscriberGone();
    }
  }

  /**
   * Closes a connection that cannot keep up (its outbound bytes passed the limit, or it has no free
   * message id). It gets nothing more at once; its pending notifications are released when the
   * transport reports it {@link #disconnected}.
   */
  void dropSlowConsumer(ApiSession session, String reason) {
    if (!session.open) {
      return;
    }
    unsubscribeAll(session);
    session.link.closeSlowConsumer(reason);
  }

  /** API connections open now; for status reports and metrics. */
  public int connectionCount() {
    return sessions.size();
  }

  /** Items notified and not decided yet (answers outstanding, timeout not reached). */
  public int awaitingVerdicts() {
    return awaitingVerdicts.size();
  }

  /** Subscribed connections per data type, by ascending type; types nobody subscribes to are left out. */
  public java.util.SortedMap<Integer, Integer> subscribersByType() {
    java.util.SortedMap<Integer, Integer> counts = new java.util.TreeMap<>();
    for (IntObjectMap.PrimitiveEntry<Subscribers> e : byDataType.entries()) {
      if (!e.value().isEmpty()) counts.put(e.key(), e.value().size());
    }
    return counts;
  }

  int subscriberCount(int dataType) {
    Subscribers subscribers = byDataType.get(dataType);
    return subscribers == null ? 0 : subscribers.size();
  }

  private void announce(ApiSession from, ApiMessage.Announce a) {
    spreader.spread(a.ttl(), a.dataType(), a.data());
    Subscribers subscribers = byDataType.get(a.dataType());
    if (subscribers != null) {
      notifyEach(
          subscribers.snapshot(), from, a.dataType(), a.data(), Delivery.local(subscribers.size()));
    }
  }

  /**
   * Registers a pending notification on every open subscriber except {@code except}, arms the
   * timeout, and only then writes: a write may find a subscriber too slow, and the delivery must be
   * complete before anything can act on it.
   */
  private void notifyEach(
      ApiSession[] targets, ApiSession except, int dataType, byte[] data, Delivery delivery) {
    for (ApiSession s : targets) {
      if (s == except || !s.open) {
        continue;
      }
      int id = s.allocateMessageId();
      if (id < 0) {
        dropSlowConsumer(s, "all 65536 message ids await a VALIDATION");
        continue;
      }
      PendingNotification p = new PendingNotification(s, id, delivery);
      s.addPending(p);
      delivery.add(p);
    }
    if (delivery.notifiedCount() == 0) {
      return;
    }
    awaitingVerdicts.add(delivery);
    delivery.forEachNotified(p -> p.session.link.sendNotification(p.messageId, dataType, data));
  }

  private void subscribe(ApiSession session, int dataType) {
    if (!session.open || !session.subscriptions.add(dataType)) {
      return;
    }
    Subscribers subscribers = byDataType.get(dataType);
    if (subscribers == null) {
      subscribers = new Subscribers();
      byDataType.put(dataType, subscribers);
    }
    subscribers.add(session);
    log.debug("API client {} subscribed to data type {}", session.link.describe(), dataType);
  }

  private void unsubscribeAll(ApiSession session) {
    session.open = false;
    for (int dataType : session.subscriptions) {
      Subscribers subscribers = byDataType.get(dataType);
      subscribers.remove(session);
      if (subscribers.isEmpty()) {
        byDataType.remove(dataType);
      }
    }
    session.subscriptions.clear();
  }

  private void validate(ApiSession session, ApiMessage.Validation v) {
    PendingNotification p = session.takePending(v.messageId());
    if (p == null) {
      log.debug(
          "API client {} sent VALIDATION for unknown or expired message id {}; ignored",
          session.link.describe(),
          v.messageId());
      return;
    }
    p.delivery.answered(v.valid());
  }
}
