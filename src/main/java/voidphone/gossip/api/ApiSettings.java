package voidphone.gossip.api;

import java.time.Duration;
import voidphone.gossip.config.GossipConfig;

/**
 * The API server's limits, taken from the node's configuration.
 *
 * @param validationTimeout how long a notified item waits for its subscribers' VALIDATIONs; then
 *     it is EXPIRED and its message ids are freed ({@code validation_timeout_ms})
 * @param sendBufferBytes most bytes queued for one connection that does not read; one more and the
 *     connection is closed as a slow consumer ({@code api_send_buffer_bytes})
 * @param maxConnections most API connections served at once; more are closed on accept
 *     ({@code api_max_connections})
 */
public record ApiSettings(Duration validationTimeout, int sendBufferBytes, int maxConnections) {
  public ApiSettings {
    if (validationTimeout.isNegative() || validationTimeout.isZero()) {
      throw new IllegalArgumentException("validation timeout must be positive: " + validationTimeout);
    }
    if (sendBufferBytes < ApiMessage.MAX_SIZE) {
      // below one largest message a healthy subscriber could be cut off for a single item
      throw new IllegalArgumentException(
          "send buffer of " + sendBufferBytes + " bytes is below one message (" + ApiMessage.MAX_SIZE + ")");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("max connections must be at least 1: " + maxConnections);
    }
  }

  public static ApiSettings of(GossipConfig config) {
    return new ApiSettings(
        config.validationTimeout(), config.apiSendBufferBytes(), config.apiMaxConnections());
  }
}
