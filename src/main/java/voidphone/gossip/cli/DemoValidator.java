package voidphone.gossip.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.client.GossipClient;
import voidphone.gossip.client.Verdict;
import voidphone.gossip.config.HostPort;

/**
 * The stand-in module that {@code gossip testnet --demo} attaches to each node: it subscribes to one
 * data type on the node's API (with the module client library), logs every item it is notified of
 * under the node's name, and calls it valid. A node forwards an item from a peer only once a local
 * subscriber said valid (the API's rule), so without such a module on every node an announced item
 * would stop at the first hop.
 */
final class DemoValidator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoValidator.class);

  private final GossipClient client;

  private DemoValidator(GossipClient client) {
    this.client = client;
  }

  /** Connects to {@code api} and subscribes to {@code dataType}; the client answers on its own thread. */
  static DemoValidator attach(String node, HostPort api, int dataType) {
    GossipClient client;
    try {
      client = GossipClient.connect(new InetSocketAddress(api.host(), api.port()));
    } catch (IOException e) {
      throw CliFailure.runtime(node + ": demo module cannot connect to " + api + ": " + e.getMessage());
    }
    client.subscribe(dataType, n -> {
      log.info("{}: got item of type {}: {} -> VALID", node, n.dataType(), DataText.show(n.data()));
      return Verdict.VALID;
    });
    // the NOTIFY written before returning: an item announced right after start must find the
    // subscriber there (the node reads a connection's frames in order)
    try {
      if (!client.flush(Duration.ofSeconds(5))) {
        throw CliFailure.runtime(node + ": demo module could not subscribe at " + api + " within 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliFailure.runtime(node + ": interrupted while the demo module subscribed");
    }
    return new DemoValidator(client);
  }

  @Override
  public void close() {
    client.close();
  }
}
