package voidphone.gossip.api;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link LoopScheduler} on a Netty event loop: the hub's timers share the thread that owns it. */
final class EventLoopScheduler implements LoopScheduler {
  private final EventExecutor loop;

  EventLoopScheduler(EventExecutor loop) {
    this.loop = loop;
  }

  @Override
  public void execute(Runnable task) {
    loop.execute(task);
  }

  @Override
  public Cancellable schedule(long delayNanos, Runnable task) {
    ScheduledFuture<?> future = loop.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
