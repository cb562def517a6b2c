package voidphone.gossip.core;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.broadcast.BroadcastConfig;
import voidphone.gossip.core.membership.MembershipConfig;

/**
 * Issue 13, item 6: an unreachable bootstrapper is one WARN line per change of state, not one per
 * retry; its recovery one INFO line; and {@link NodeCore#bootstrappers()} says where it stands.
 */
class BootstrapLogTest {
  private static final PeerAddress BOOTSTRAPPER = new PeerAddress("10.9.9.9", 7000);
  private static final Peer SELF = new Peer(new NodeId(0, 0, 0, 0), new PeerAddress("10.0.0.1", 7000));
  private static final NodeId CONTACT = new NodeId(5, 0, 0, 0);

  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger coreLog = (Logger) LoggerFactory.getLogger("peers");
  private Level levelBefore;
  private long now = 1_000;
  private final NodeCore core = new NodeCore(SELF, NodeSettings.defaults(), MembershipConfig.withDegree(4),
      BroadcastConfig.defaults(), new SplittableRandom(1), Reputation.withDefaults(), List.of(BOOTSTRAPPER), List.of());

  @BeforeEach
  void captureLog() {
    levelBefore = coreLog.getLevel();
    coreLog.setLevel(Level.DEBUG);
    logged.start();
    coreLog.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    coreLog.detachAppender(logged);
    coreLog.setLevel(levelBefore);
  }

  private List<String> at(Level level) {
    return logged.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.contains("bootstrapper")).toList();
  }

  private void drain() {
    while (core.poll() != null) {
      // outputs are not what this test is about
    }
  }

  /** One bootstrap round that fails: the retry timer fires and the dial fails again. */
  private void failAgain(DialFailure failure, String reason) {
    now += 60_000;
    core.timer(NodeTimer.BOOTSTRAP_RETRY, now);
    drain();
    core.dialFailed(BOOTSTRAPPER, null, failure, reason, now);
    drain();
  }

  @Test
  void repeatedFailuresWarnOnceAndRecoveryIsOneInfoLine() {
    core.start(now);
    drain();
    core.dialFailed(BOOTSTRAPPER, null, DialFailure.CONNECT, "connect failed: Connection refused", now);
    drain();
    for (int i = 0; i < 5; i++) failAgain(DialFailure.CONNECT, "connect failed: Connection refused");

    assertThat(at(Level.WARN)).singleElement().asString()
        .startsWith("bootstrapper 10.9.9.9:7000 unreachable: connect failed: Connection refused; retrying in 1 s");
    // the retries' dials are not announced at INFO either: only the first
    assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.INFO)
        .map(ILoggingEvent::getFormattedMessage)).containsExactly("bootstrapping via 10.9.9.9:7000");
    assertThat(at(Level.DEBUG)).filteredOn(m -> m.contains("still unreachable")).hasSize(5);
    assertThat(core.bootstrappers()).containsExactly(new NodeCore.BootstrapperStatus(
        BOOTSTRAPPER, false, 6, DialFailure.CONNECT, "connect failed: Connection refused"));

    now += 60_000;
    core.timer(NodeTimer.BOOTSTRAP_RETRY, now);
    core.linkUp(CONTACT, new PeerAddress("10.9.9.9", 7000), null, BOOTSTRAPPER, now);
    drain();

    assertThat(at(Level.INFO)).filteredOn(m -> m.contains("reachable again")).singleElement().asString()
        .isEqualTo("bootstrapper 10.9.9.9:7000 reachable again (identity " + CONTACT.shortHex() + ") after 6 failed dials");
    assertThat(core.bootstrappers()).containsExactly(new NodeCore.BootstrapperStatus(BOOTSTRAPPER, true, 0, null, null));

    // down again: a new state, so a new warning
    core.linkDown(CONTACT, now);
    drain();
    failAgain(DialFailure.CONNECT, "connect failed: Connection refused");
    failAgain(DialFailure.CONNECT, "connect failed: Connection refused");
    assertThat(at(Level.WARN)).hasSize(2);
  }

  @Test
  void anotherKindOfFailureIsWarnedOfAgain() {
    core.start(now);
    drain();
    core.dialFailed(BOOTSTRAPPER, null, DialFailure.CONNECT, "connect failed: Connection refused", now);
    drain();
    String pow = "refused by the peer, PROOF_OF_WORK: requires pow_difficulty >= 16; the proof of identity d6e74344 "
        + "has 9 leading zero bits; this node's proof has 9 leading zero bits: set pow_difficulty here to at least "
        + "what the peer requires and restart";
    failAgain(DialFailure.REFUSED, pow);
    failAgain(DialFailure.REFUSED, pow);

    assertThat(at(Level.WARN)).hasSize(2);
    assertThat(at(Level.WARN).get(1)).contains("unreachable: " + pow);
    assertThat(core.bootstrappers().getFirst().lastError()).isEqualTo(pow);
  }

  @Test
  void aBootstrapperNotYetDialledToAnOutcomeIsListedWithoutError() {
    core.start(now);

    assertThat(core.bootstrappers()).containsExactly(new NodeCore.BootstrapperStatus(BOOTSTRAPPER, false, 0, null, null));
    assertThat(at(Level.WARN)).isEmpty();
  }
}
