package voidphone.gossip.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import voidphone.gossip.client.ConnectionListener;
import voidphone.gossip.client.GossipClient;
import voidphone.gossip.client.Options;
import voidphone.gossip.config.HostPort;

/**
 * How {@code announce} and {@code subscribe} open the module client library: no reconnecting (a
 * command run by hand or by a script should fail at once, with one line and exit 1, not wait for
 * a node that may never come back) and no logging of its own (the command reports).
 */
final class ApiConnection {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  /** How long {@code announce} waits for its message to be written before it gives up. */
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(5);

  private ApiConnection() {}

  /** Connected, or a {@link CliFailure} naming the address: exit 2 for port 0, exit 1 otherwise. */
  static GossipClient open(HostPort address, ConnectionListener listener) {
    if (address.port() == 0) {
      throw CliFailure.config("cannot connect to gossip API at " + address + ": port 0 is not a real port");
    }
    Options options = Options.defaults()
        .withConnectTimeout(CONNECT_TIMEOUT)
        .withReconnect(false)
        .withCloseTimeout(SEND_TIMEOUT)
        .withListener(listener);
    try {
      // the client's messages name the address, e.g. "cannot connect to gossip API at h:p: Connection refused"
      return GossipClient.connect(InetSocketAddress.createUnresolved(address.host(), address.port()), options);
    } catch (IOException e) {
      throw CliFailure.runtime(e.getMessage());
    }
  }
}
