package voidphone.gossip.api;

import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/** {@link LoopScheduler} on a Netty event loop: the hub's timers share the thread that owns it. */
final class EventLoopScheduler implements LoopScheduler {
  private final EventExecutor loop;

  EventLoopScheduler(EventExecutor loop) {
    this.loop = loop;
  }

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public void schedule(long delayNanos, Runnable task) {
    loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }
}
