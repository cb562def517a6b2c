package voidphone.gossip.api;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's pending notifications by message id: a two-level table over the u16 id space.
 * Pages of 256 slots are made on first use and dropped when empty (the last one dropped is kept for
 * reuse), so memory follows the number pending (a few KiB for a connection that keeps up, 256 KiB
 * at the 65,536 limit), and a lookup is two array reads.
 *
 * <p>Why not a hash map: ids are handed out by a rolling counter, so the pending ones form one long
 * run of consecutive keys, the worst case for open addressing with identity hashes (removing the
 * oldest scans the whole run; measured at a quarter of the node's time under load).
 */
final class PendingTable {
  private static final int PAGE_BITS = 8;
  private static final int PAGE_SIZE = 1 << PAGE_BITS;
  private static final int PAGES = ApiSession.MESSAGE_IDS / PAGE_SIZE;

  private final PendingNotification[][] pages = new PendingNotification[PAGES][];
  private final int[] used = new int[PAGES];
  private int size;
  /**
   * The page dropped last, kept for the next one needed: a client that answers each notification
   * before the next leaves its page empty every time, and a fresh 256-slot page per notification
   * was most of the hub's cost per item.
   */
  private PendingNotification[] spare;

  boolean contains(int id) {
    PendingNotification[] page = pages[id >>> PAGE_BITS];
    return page != null && page[id & (PAGE_SIZE - 1)] != null;
  }

  /** Stores {@code p} under its message id, which must be free. */
  void put(PendingNotification p) {
    int id = p.messageId;
    int pageIndex = id >>> PAGE_BITS;
    PendingNotification[] page = pages[pageIndex];
    if (page == null) {
      page = spare != null ? spare : new PendingNotification[PAGE_SIZE];
      spare = null;
      pages[pageIndex] = page;
    }
    if (page[id & (PAGE_SIZE - 1)] != null) {
      throw new IllegalStateException("message id " + id + " is already pending");
    }
    page[id & (PAGE_SIZE - 1)] = p;
    used[pageIndex]++;
    size++;
  }

  /** Removes and returns what is pending under {@code id}, or null. */
  PendingNotification remove(int id) {
    int pageIndex = id >>> PAGE_BITS;
    PendingNotification[] page = pages[pageIndex];
    if (page == null) {
      return null;
    }
    PendingNotification p = page[id & (PAGE_SIZE - 1)];
    if (p != null) {
      page[id & (PAGE_SIZE - 1)] = null;
      size--;
      if (--used[pageIndex] == 0) {
        spare = page; // every slot is null again
        pages[pageIndex] = null;
      }
    }
    return p;
  }

  /** Empties the table and returns what it held. */
  List<PendingNotification> removeAll() {
    List<PendingNotification> all = new ArrayList<>(size);
    for (int i = 0; i < PAGES; i++) {
      PendingNotification[] page = pages[i];
      if (page == null) {
        continue;
      }
      for (PendingNotification p : page) {
        if (p != null) {
          all.add(p);
        }
      }
      pages[i] = null;
      used[i] = 0;
    }
    size = 0;
    return all;
  }

  int size() {
    return size;
  }
}
