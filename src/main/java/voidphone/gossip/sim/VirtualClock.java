package voidphone.gossip.sim;

/**
 * Virtual time in whole milliseconds, and the agenda of what is due when: the one clock of the
 * simulator and of every test that runs protocol code without waiting. Time moves only when the
 * owner runs the agenda ({@link #runUntil}, {@link #advance}); events due at one instant run in
 * the order they were scheduled, so a run repeats exactly.
 *
 * <p>Two kinds of entry share one agenda: tasks ({@link #after}), which a test schedules and the
 * clock runs itself, and the simulator's network events, which it hands to the {@link Handler} it
 * was made with. Both kinds live in one {@link EventQueue}, so the simulator pays nothing for the
 * tasks it does not use.
 */
public final class VirtualClock {
  /** Takes the simulator's network events as they come due; the clock stands at their time. */
  interface Handler {
    void handle(Event event);
  }

  private final EventQueue queue = new EventQueue();
  private final Handler handler;
  private long now;
  private long seq;

  /** A clock for tests: it runs tasks, and has no network events to hand on. */
  public VirtualClock() {
    this(0);
  }

  /** The same, starting at {@code startMillis} (some tests want time 0 to mean "long ago"). */
  public VirtualClock(long startMillis) {
    this(e -> {
      throw new IllegalStateException("a test clock has no network events: " + e.kind);
    });
    now = startMillis;
  }

  VirtualClock(Handler handler) {
    this.handler = handler;
  }

  /** The current virtual time in milliseconds. */
  public long now() {
    return now;
  }

  /** Runs {@code task} once {@code delayMillis} have passed (0: after what is due now). */
  public void after(long delayMillis, Runnable task) {
    add(delayMillis, Event.Kind.TASK, -1, -1, task, null);
  }

  /** Schedules a network event {@code delayMillis} from now, for the handler. */
  void add(long delayMillis, Event.Kind kind, int node, int peer, Object payload, SimLink link) {
    if (delayMillis < 0) {
      throw new IllegalArgumentException("negative delay " + delayMillis);
    }
    queue.add(new Event(now + delayMillis, seq++, kind, node, peer, payload, link));
  }

  /** Runs everything due up to {@code time}, in order, then sets the clock to it. */
  public void runUntil(long time) {
    while (runNext(time)) {
      // each step runs one entry
    }
    now = Math.max(now, time);
  }

  /** Runs everything due in the next {@code millis}, then moves the clock to the end of them. */
  public void advance(long millis) {
    runUntil(now + millis);
  }

  /** Runs everything due now, including what that schedules for now. */
  public void runDue() {
    runUntil(now);
  }

  /** Runs the next entry if it is due by {@code deadline}; false if none is. */
  public boolean runNext(long deadline) {
    Event next = queue.peek();
    if (next == null || next.time > deadline) {
      return false;
    }
    queue.poll();
    now = next.time;
    if (next.kind == Event.Kind.TASK) {
      ((Runnable) next.payload).run();
    } else {
      handler.handle(next);
    }
    return true;
  }

  /** Entries waiting, tasks and network events together. */
  public int pending() {
    return queue.size();
  }
}
