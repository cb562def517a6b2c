package voidphone.gossip.client;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What a test module's handler saw, as text (tests announce ASCII). */
final class Received {
  private final List<String> items = new CopyOnWriteArrayList<>();

  /** A handler that records each item and finds it {@code verdict}. */
  Handler answering(Verdict verdict) {
    return n -> {
      items.add(new String(n.data(), StandardCharsets.US_ASCII));
      return verdict;
    };
  }

  boolean contains(String text) {
    return items.contains(text);
  }

  int size() {
    return items.size();
  }

  List<String> items() {
    return List.copyOf(items);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
