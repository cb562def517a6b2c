package voidphone.gossip.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.config.HostPort;

/**
 * The stand-in module that {@code gossip testnet --demo} attaches to each node: it subscribes to one
 * data type on the node's API, logs every item it is notified of under the node's name, and calls
 * it valid. A node forwards an item from a peer only once a local subscriber said valid (the API's
 * rule), so without such a module on every node an announced item would stop at the first hop.
 */
final class DemoValidator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DemoValidator.class);

  private final String node;
  private final ApiClient client;
  private final Thread reader;
  private volatile boolean closing;

  private DemoValidator(String node, ApiClient client) {
    this.node = node;
    this.client = client;
    this.reader = Thread.ofVirtual().name("demo-" + node).unstarted(this::answerAll);
  }

  /** Connects to {@code api}, subscribes to {@code dataType} and starts answering on its own thread. */
  static DemoValidator attach(String node, HostPort api, int dataType) {
    DemoValidator validator = new DemoValidator(node, ApiClient.connect(api));
    // NOTIFY before returning: an item announced right after start must find the subscriber there
    validator.client.send(new ApiMessage.Notify(dataType));
    validator.reader.start();
    return validator;
  }

  private void answerAll() {
    try {
      while (true) {
        ApiMessage.Notification n = client.receiveNotification();
        log.info("{}: got item of type {}: {} -> VALID", node, n.dataType(), DataText.show(n.data()));
        client.send(new ApiMessage.Validation(n.messageId(), true));
      }
    } catch (CliFailure e) {
      if (!closing) {
        log.warn("{}: demo module stopped: {}", node, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    client.close();
  }
}
