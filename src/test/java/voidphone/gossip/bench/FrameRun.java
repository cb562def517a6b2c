package voidphone.gossip.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.concurrent.Semaphore;
import org.HdrHistogram.Histogram;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;

/**
 * One measured stream of ANNOUNCE frames: a sender writes them on one socket, a receiver reads
 * 8-byte-header frames carrying the same data on another (or the same) socket, and records the
 * time from send to receipt. At most {@code window} items are in flight; with a window of 1 this
 * measures one item at a time.
 *
 * <p>The same code drives the node (announcer to subscriber, which answers each NOTIFICATION with a
 * VALIDATION) and the echo baseline (one socket, no answers), so the two figures compare.
 */
final class FrameRun {
  /** What one run measured; latency in nanoseconds. */
  record Result(long items, long elapsedNanos, Histogram latency) {
    double itemsPerSecond() {
      return items * 1e9 / elapsedNanos;
    }
  }

  private FrameRun() {}

  static Result run(Socket sender, Socket receiver, boolean validate, int items, int window, int dataSize)
      throws Exception {
    if (dataSize < 16) {
      throw new IllegalArgumentException("data carries a 16-byte timestamp and sequence number");
    }
    Semaphore inFlight = new Semaphore(window);
    Histogram latency = new Histogram(60_000_000_000L, 3);
    Receiver rx = new Receiver(receiver, validate, items, inFlight, latency);
    Thread rxThread = new Thread(rx, "bench-receiver");
    rxThread.start();

    OutputStream out = new BufferedOutputStream(sender.getOutputStream(), 64 * 1024);
    byte[] frame = ApiWire.encode(new ApiMessage.Announce(0, ApiBenchmark.DATA_TYPE, new byte[dataSize]));
    ByteBuffer stamp = ByteBuffer.wrap(frame);
    long start = System.nanoTime();
    for (int i = 0; i < items; i++) {
      if (!inFlight.tryAcquire()) {
        out.flush(); // the window is full: let what is queued go, then wait for room
        inFlight.acquire();
      }
      stamp.putLong(ApiMessage.FIXED_SIZE, System.nanoTime()).putLong(ApiMessage.FIXED_SIZE + 8, i);
      out.write(frame);
      if (window == 1) {
        out.flush();
      }
    }
    out.flush();
    rxThread.join();
    if (rx.failure != null) {
      throw rx.failure;
    }
    return new Result(items, rx.lastReceiptNanos - start, latency);
  }

  private static final class Receiver implements Runnable {
    private final Socket socket;
    private final boolean validate;
    private final int items;
    private final Semaphore inFlight;
    private final Histogram latency;
    volatile long lastReceiptNanos;
    volatile Exception failure;

    Receiver(Socket socket, boolean validate, int items, Semaphore inFlight, Histogram latency) {
      this.socket = socket;
      this.validate = validate;
      this.items = items;
      this.inFlight = inFlight;
      this.latency = latency;
    }

    @Override
    public void run() {
      try {
        BufferedInputStream buffered = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        DataInputStream in = new DataInputStream(buffered);
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        byte[] body = new byte[ApiMessage.MAX_SIZE];
        ByteBuffer b = ByteBuffer.wrap(body);
        for (int received = 0; received < items; received++) {
          int size = in.readUnsignedShort();
          in.readUnsignedShort(); // type
          in.readFully(body, 0, size - ApiMessage.HEADER_SIZE);
          long now = System.nanoTime();
          int messageId = Short.toUnsignedInt(b.getShort(0));
          long sentAt = b.getLong(4);
          latency.recordValue(Math.max(0, now - sentAt));
          lastReceiptNanos = now;
          if (validate) {
            out.write(ApiWire.encode(new ApiMessage.Validation(messageId, true)));
            if (buffered.available() == 0) {
              out.flush(); // answer in batches, like a module that drains its socket first
            }
          }
          inFlight.release();
        }
        out.flush();
      } catch (IOException e) {
        failure = new UncheckedIOException(e);
      } catch (RuntimeException e) {
        failure = e;
      }
    }
  }
}
