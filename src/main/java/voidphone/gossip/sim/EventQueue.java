package voidphone.gossip.sim;

import java.util.Arrays;

/**
 * A binary min-heap of events ordered by (time, sequence number). Hand-written rather than a
 * {@link java.util.PriorityQueue} so that the order is explicit and no comparator is called
 * through an interface on the hottest path of the simulator.
 */
final class EventQueue {
  private Event[] heap = new Event[1024];
  private int size;

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

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
    if (size == 0) {
      return null;
    }
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
