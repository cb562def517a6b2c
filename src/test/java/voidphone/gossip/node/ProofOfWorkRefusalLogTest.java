package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import voidphone.gossip.identity.ProofOfWork;

/**
 * Issue 13, item 6, end to end: a node whose proof of work falls short of its bootstrapper's
 * {@code pow_difficulty} is told so once per side, with the figures and what to set, however often
 * it retries.
 */
class ProofOfWorkRefusalLogTest {
  @Test
  void aShortProofIsOneWarningOnEachSideWithWhatToSet() throws Exception {
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger("peers"), (Logger) LoggerFactory.getLogger("link"));
    loggers.forEach(l -> l.addAppender(logged));
    try (TestNetwork net = new TestNetwork(3, NodeOptions.production())) {
      GossipNode strict = net.add(16, 0); // its peers need 16 bits; the test keys carry the nonce 0
      GossipNode weak = net.add(0, 1);
      int weakBits = ProofOfWork.leadingZeroBits(weak.id(), 0);
      assumeTrue(weakBits < 16);
      await().atMost(Duration.ofSeconds(30)).until(() -> strict.refusals() >= 3); // the first dial and two retries

      String bootstrapper = "127.0.0.1:" + strict.p2pAddress().getPort();
      assertThat(warnings(logged, "bootstrapper " + bootstrapper)).singleElement().asString()
          .isEqualTo("bootstrapper " + bootstrapper + " unreachable: refused by the peer, PROOF_OF_WORK: requires "
              + "pow_difficulty >= 16; the proof of identity " + weak.id().shortHex() + " has " + weakBits
              + " leading zero bits; this node's proof has " + weakBits + " leading zero bits: set pow_difficulty "
              + "here to at least what the peer requires and restart; retrying in 1 s, then less and less often "
              + "(at most every 60 s); logged again when that changes");
      assertThat(warnings(logged, "refused " + weak.id().hex())).singleElement().asString()
          .contains("PROOF_OF_WORK (requires pow_difficulty >= 16; the proof of identity " + weak.id().shortHex()
              + " has " + weakBits + " leading zero bits)");
    } finally {
      loggers.forEach(l -> l.detachAppender(logged));
    }
  }

  private static List<String> warnings(ListAppender<ILoggingEvent> logged, String prefix) {
    synchronized (logged) { // AppenderBase appends under the appender's lock
      return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.startsWith(prefix)).toList();
    }
  }
}
