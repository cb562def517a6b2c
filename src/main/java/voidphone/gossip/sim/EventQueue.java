package voidphone.gossip.sim;

import java.util.Arrays;

/**
 * The simulator's agenda: events ordered by (time, sequence number). Times are whole virtual
 * milliseconds, so it is a calendar queue: one FIFO bucket per millisecond over a window of
 * {@link #WINDOW} ms starting at {@code base}, and a binary heap for events further out, which
 * move into their bucket once the window reaches them. Add and poll are O(1) for the near events
 * that make up almost all traffic.
 *
 * <p>Callers give each event a larger sequence number than the one before. Order within a bucket
 * is the order of scheduling, because an event from the heap reaches its
 * bucket as soon as the window covers its time, before any later-scheduled event could be put
 * there directly.
 */
final class EventQueue {
  static final int WINDOW = 1 << 14;
  private static final int MASK = WINDOW - 1;

  private final Bucket[] buckets = new Bucket[WINDOW];
  private final Heap far = new Heap();
  /** No queued event is earlier; buckets cover [base, base + WINDOW). */
  private long base;
  private int inBuckets;

  int size() {
    return inBuckets + far.size;
  }

  boolean isEmpty() {
    return size() == 0;
  }

  void add(Event event) {
    if (event.time < base) {
      throw new IllegalArgumentException("event at " + event.time + " is before " + base);
    }
    if (event.time < base + WINDOW) {
      intoBucket(event);
    } else {
      far.add(event);
    }
  }

  Event peek() {
    if (inBuckets == 0) {
      return far.peek();
    }
    for (long t = base; ; t++) {
      Bucket b = buckets[(int) (t & MASK)];
      if (b != null && b.size > 0) {
        return b.first();
      }
    }
  }

  Event poll() {
    if (isEmpty()) {
      return null;
    }
    if (inBuckets == 0) {
      advanceTo(far.peek().time);
    }
    while (true) {
      Bucket b = buckets[(int) (base & MASK)];
      if (b != null && b.size > 0) {
        inBuckets--;
        return b.removeFirst();
      }
      advanceTo(base + 1);
    }
  }

  private void advanceTo(long time) {
    base = time;
    while (far.size > 0 && far.peek().time < base + WINDOW) {
      intoBucket(far.poll());
    }
  }

  private void intoBucket(Event event) {
    int index = (int) (event.time & MASK);
    Bucket b = buckets[index];
    if (b == null) {
      b = buckets[index] = new Bucket();
    }
    b.add(event);
    inBuckets++;
  }

  /** A FIFO ring of events that all have one time. */
  private static final class Bucket {
    private Event[] ring = new Event[4];
    private int head;
    private int size;

    void add(Event e) {
      if (size == ring.length) {
        Event[] grown = new Event[ring.length * 2];
        for (int i = 0; i < size; i++) {
          grown[i] = ring[(head + i) & (ring.length - 1)];
        }
        ring = grown;
        head = 0;
      }
      ring[(head + size) & (ring.length - 1)] = e;
      size++;
    }

    Event first() {
      return ring[head];
    }

    Event removeFirst() {
      Event e = ring[head];
      ring[head] = null;
      head = (head + 1) & (ring.length - 1);
      size--;
      return e;
    }
  }

  /** A binary min-heap by (time, sequence number) for the events beyond the window. */
  private static final class Heap {
    private Event[] heap = new Event[64];
    private int size;

    void add(Event event) {
      if (size == heap.length) {
        heap = Arrays.copyOf(heap, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        Event p = heap[parent];
        if (!event.before(p)) {
          break;
        }
        heap[i] = p;
        i = parent;
      }
      heap[i] = event;
    }

    Event peek() {
      return size == 0 ? null : heap[0];
    }

    Event poll() {
      Event top = heap[0];
      Event last = heap[--size];
      heap[size] = null;
      if (size > 0) {
        int i = 0;
        int half = size >>> 1;
        while (i < half) {
          int child = 2 * i + 1;
          Event c = heap[child];
          int right = child + 1;
          if (right < size && heap[right].before(c)) {
            child = right;
            c = heap[child];
          }
          if (!c.before(last)) {
            break;
          }
          heap[i] = c;
          i = child;
        }
        heap[i] = last;
      }
      return top;
    }
  }
}
