package voidphone.gossip.api;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The connections subscribed to one data type, in subscription order. Keeps an array copy for
 * delivery: subscriptions change rarely and items arrive often, and a copy lets a delivery walk
 * the subscribers while one of them is dropped as a slow consumer.
 */
final class Subscribers {
  private static final ApiSession[] NONE = new ApiSession[0];

  private final Set<ApiSession> sessions = new LinkedHashSet<>();
  private ApiSession[] snapshot = NONE;

  boolean add(ApiSession session) {
    boolean added = sessions.add(session);
    if (added) {
      snapshot = null;
    }
    return added;
  }

  void remove(ApiSession session) {
    if (sessions.remove(session)) {
      snapshot = null;
    }
  }

  boolean isEmpty() {
    return sessions.isEmpty();
  }

  int size() {
    return sessions.size();
  }

  /** The subscribers at this moment; never modified, so it is safe to walk while they change. */
  ApiSession[] snapshot() {
    if (snapshot == null) {
      snapshot = sessions.toArray(NONE);
    }
    return snapshot;
  }
}
