package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;

/** A node's peer cache at run time: what it logs when it reads, when it writes, and what it leaves alone. */
class PeerCacheTest {
  private static final NodeId SELF = new NodeId(0x5e1f_0000_0000_0000L, 2, 3, 4);
  private static final Peer A = new Peer(new NodeId(5, 6, 7, 8), new PeerAddress("10.0.0.1", 6001));
  private static final Peer B = new Peer(new NodeId(9, 10, 11, 12), new PeerAddress("10.0.0.2", 6002));

  @TempDir Path dir;
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing(); // the thread name, say, is otherwise taken when first asked for
      super.append(event);
    }
  };
  private final Logger peersLog = (Logger) LoggerFactory.getLogger("peers");

  @BeforeEach
  void captureLog() {
    logged.start();
    peersLog.addAppender(logged);
  }

  @AfterEach
  void releaseLog() {
    peersLog.detachAppender(logged);
  }

  private Path file() {
    return dir.resolve("hostkey.pem.peers");
  }

  private List<String> warnings() {
    return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void aCorruptFileIsIgnoredWithOneWarningLineNamingTheFileAndTheLine() throws Exception {
    Files.writeString(file(), "voidphone-gossip peers 1 " + SELF.hex() + "\n" + A.id().hex() + " 10.0.0.1:6001\nrubbish\n");

    PeerCache cache = PeerCache.open(file(), SELF);

    assertThat(cache.loaded()).isEmpty();
    assertThat(warnings()).containsExactly(file() + ": line 3: not '<id> <host>:<port>'; ignoring the peer cache");
    assertThat(logged.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).as("no stack trace").isNull());
  }

  @Test
  void aForeignFileIsIgnoredWithOneWarningLine() throws Exception {
    NodeId other = new NodeId(0x0742_0000_0000_0000L, 2, 3, 4);
    Files.writeString(file(), "voidphone-gossip peers 1 " + other.hex() + "\n" + A.id().hex() + " 10.0.0.1:6001\n");

    assertThat(PeerCache.open(file(), SELF).loaded()).isEmpty();
    assertThat(warnings()).singleElement().asString()
        .isEqualTo(file() + ": written for identity " + other.shortHex() + ", not this node's " + SELF.shortHex()
            + " (a file of another key?); ignoring the peer cache");
  }

  @Test
  void aMissingFileIsAFirstStartAndSaysNothing() {
    assertThat(PeerCache.open(file(), SELF).loaded()).isEmpty();
    assertThat(logged.list).isEmpty();
  }

  @Test
  void savedPeersAreWrittenByCloseAtTheLatest() throws Exception {
    PeerCache cache = PeerCache.open(file(), SELF);

    cache.save(List.of(A, B));
    cache.close();

    assertThat(PeerCache.open(file(), SELF).loaded()).containsExactly(A, B);
  }

  @Test
  void theWriteHappensOnTheCachesOwnThread() throws Exception {
    PeerCache cache = PeerCache.open(file(), SELF);
    Thread caller = Thread.currentThread();
    peersLog.setLevel(Level.DEBUG); // the write says "n peers written" at debug level
    peersLog.setAdditive(false); // to this test's appender only, not to the build's output
    try {
      cache.save(List.of(A));
      cache.close();
    } finally {
      peersLog.setLevel(null);
      peersLog.setAdditive(true);
    }

    assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().endsWith("1 peers written"))
        .singleElement().satisfies(e -> assertThat(e.getThreadName()).isNotEqualTo(caller.getName()).startsWith("gossip-peers-"));
  }

  @Test
  void anEmptySnapshotLeavesTheKnownPeersOnDisk() throws Exception {
    PeerCacheFile.write(file(), SELF, List.of(A));
    PeerCache cache = PeerCache.open(file(), SELF);

    cache.save(List.of());
    cache.close();

    assertThat(PeerCache.open(file(), SELF).loaded()).containsExactly(A);
  }

  @Test
  void anUnchangedSnapshotIsNotWrittenAgain() throws Exception {
    PeerCacheFile.write(file(), SELF, List.of(A));
    PeerCache cache = PeerCache.open(file(), SELF);
    Files.delete(file()); // were it written again, it would be back

    cache.save(List.of(A));
    cache.close();

    assertThat(file()).doesNotExist();
  }

  @Test
  void aFailingWriteWarnsOnceAndTheCacheCarriesOn() throws Exception {
    Path nowhere = dir.resolve("gone").resolve("hostkey.pem.peers"); // its directory does not exist
    PeerCache cache = PeerCache.open(nowhere, SELF);

    cache.save(List.of(A));
    cache.save(List.of(A, B));
    cache.close();

    assertThat(warnings()).singleElement().asString()
        .startsWith(nowhere + ": cannot write the peer cache (").endsWith("); the node runs on without it");
    assertThat(logged.list).allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
  }

  @Test
  void saveAfterCloseIsIgnored() throws Exception {
    PeerCache cache = PeerCache.open(file(), SELF);
    cache.close();

    cache.save(List.of(A));

    assertThat(file()).doesNotExist();
  }
}
