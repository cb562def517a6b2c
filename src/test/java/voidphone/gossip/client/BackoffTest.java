package voidphone.gossip.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The reconnection delays: doubling from the initial one, capped, jittered within the upper half. */
class BackoffTest {
  @Test
  void eachDelayDoublesUpToTheCapAndIsDrawnFromTheUpperHalf() throws Exception {
    try (ServerSocket server = new ServerSocket(0);
        GossipClient client = GossipClient.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()),
            Options.defaults().withBackoff(Duration.ofMillis(100), Duration.ofMillis(1000)))) {
      long[] caps = {100, 200, 400, 800, 1000, 1000, 1000};
      for (int failures = 0; failures < caps.length; failures++) {
        for (int draw = 0; draw < 200; draw++) {
          assertThat(client.backoff(failures).toNanos())
              .as("delay after %d failures", failures)
              .isBetween(Duration.ofMillis(caps[failures]).toNanos() / 2, Duration.ofMillis(caps[failures]).toNanos());
        }
      }
      // a failure count far beyond doubling range stays at the cap instead of overflowing
      assertThat(client.backoff(Integer.MAX_VALUE)).isLessThanOrEqualTo(Duration.ofMillis(1000));
    }
  }
}
