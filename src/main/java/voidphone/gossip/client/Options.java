package voidphone.gossip.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GossipClient} connects, reconnects and bounds its buffers. Immutable: start from
 * {@link #defaults()} and change what you need with the {@code with...} methods.
 *
 * @param connectTimeout how long one connection attempt may take
 * @param reconnect whether a lost connection is opened again (with backoff); when off, a lost
 *     connection closes the client
 * @param initialBackoff the delay before the first reconnection attempt; each failed attempt
 *     doubles it
 * @param maxBackoff the longest delay between two attempts, however many failed; each delay is
 *     drawn uniformly from its upper half so that many modules do not reconnect in lockstep
 * @param announceQueueBytes how many bytes of announces (8-byte header included) may wait to be
 *     written; at least 65,535, so that the largest announce fits
 * @param announceTimeout how long {@code announce} waits for room in a full queue before it throws
 *     {@link AnnounceQueueFullException}
 * @param maxPendingVerdicts how many notifications may await their handler's verdict at once;
 *     beyond it the client stops reading until one is answered (the node then holds the rest)
 * @param closeTimeout how long {@code close()} waits to write what is queued
 * @param listener hears every connection state change
 */
public record Options(
    Duration connectTimeout,
    boolean reconnect,
    Duration initialBackoff,
    Duration maxBackoff,
    int announceQueueBytes,
    Duration announceTimeout,
    int maxPendingVerdicts,
    Duration closeTimeout,
    ConnectionListener listener) {

  /** The largest API message: its size field is a u16. */
  static final int MAX_FRAME = 0xFFFF;
  /** Every u16 message id in use: the node cannot have more notifications pending on one connection. */
  static final int MAX_PENDING_VERDICTS = 1 << 16;

  public Options {
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("initialBackoff", initialBackoff);
    requirePositive("maxBackoff", maxBackoff);
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
    }
    if (announceQueueBytes < MAX_FRAME) {
      throw new IllegalArgumentException("announceQueueBytes " + announceQueueBytes
          + " is below " + MAX_FRAME + ": the largest announce would never fit");
    }
    requirePositive("announceTimeout", announceTimeout);
    if (maxPendingVerdicts < 1 || maxPendingVerdicts > MAX_PENDING_VERDICTS) {
      throw new IllegalArgumentException(
          "maxPendingVerdicts " + maxPendingVerdicts + " is outside 1.." + MAX_PENDING_VERDICTS);
    }
    requirePositive("closeTimeout", closeTimeout);
    Objects.requireNonNull(listener, "listener");
  }

  /**
   * Connect within 5 s; reconnect after 100 ms, doubling up to 30 s; 1 MiB of announces waiting at
   * most, and an announce waits at most 5 s for room; 1,024 verdicts pending at most; close() writes
   * for at most 5 s; state changes are logged ({@link System.Logger}, name {@code
   * voidphone.gossip.client.GossipClient}).
   */
  public static Options defaults() {
    return new Options(Duration.ofSeconds(5), true, Duration.ofMillis(100), Duration.ofSeconds(30),
        1 << 20, Duration.ofSeconds(5), 1024, Duration.ofSeconds(5), LOG_STATE_CHANGES);
  }

  /**
   * The default listener: the client logs each change with its API address (INFO when connected
   * or closed, WARNING when the connection is lost).
   */
  public static final ConnectionListener LOG_STATE_CHANGES = (state, cause) -> {};

  public Options withConnectTimeout(Duration value) {
    return new Options(value, reconnect, initialBackoff, maxBackoff, announceQueueBytes, announceTimeout,
        maxPendingVerdicts, closeTimeout, listener);
  }

  public Options withReconnect(boolean value) {
    return new Options(connectTimeout, value, initialBackoff, maxBackoff, announceQueueBytes, announceTimeout,
        maxPendingVerdicts, closeTimeout, listener);
  }

  public Options withBackoff(Duration initial, Duration max) {
    return new Options(connectTimeout, reconnect, initial, max, announceQueueBytes, announceTimeout,
        maxPendingVerdicts, closeTimeout, listener);
  }

  public Options withAnnounceQueue(int bytes, Duration timeout) {
    return new Options(connectTimeout, reconnect, initialBackoff, maxBackoff, bytes, timeout,
        maxPendingVerdicts, closeTimeout, listener);
  }

  public Options withMaxPendingVerdicts(int value) {
    return new Options(connectTimeout, reconnect, initialBackoff, maxBackoff, announceQueueBytes, announceTimeout,
        value, closeTimeout, listener);
  }

  public Options withCloseTimeout(Duration value) {
    return new Options(connectTimeout, reconnect, initialBackoff, maxBackoff, announceQueueBytes, announceTimeout,
        maxPendingVerdicts, value, listener);
  }

  public Options withListener(ConnectionListener value) {
    return new Options(connectTimeout, reconnect, initialBackoff, maxBackoff, announceQueueBytes, announceTimeout,
        maxPendingVerdicts, closeTimeout, value);
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " " + value + " must be positive");
    }
  }
}
