package voidphone.gossip.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;

/** The {@code <hostkey>.peers} format: what is written, what is read back, what makes a file be ignored. */
class PeerCacheFileTest {
  private static final NodeId SELF = id(0);
  private static final String HEADER = "voidphone-gossip peers 1 " + SELF.hex() + "\n";

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("hostkey.pem.peers");
  }

  private static NodeId id(int n) {
    return new NodeId(0xabcd_0000_0000_0000L + ((long) n << 32), 2, 3, n); // letters, and a short form of its own
  }

  private static Peer peer(int n, String host, int port) {
    return new Peer(id(n), new PeerAddress(host, port));
  }

  private PeerCacheFile.Contents readText(String text) throws IOException {
    Files.writeString(file(), text, StandardCharsets.UTF_8);
    return PeerCacheFile.read(file(), SELF);
  }

  @Test
  void theCacheIsKeptBesideTheHostkeyWithPeersAppended() {
    assertThat(PeerCacheFile.pathFor(dir.resolve("hostkey.pem"))).isEqualTo(file());
  }

  @Test
  void writtenPeersReadBackInTheirOrder() throws IOException {
    List<Peer> peers = List.of(peer(1, "131.159.15.61", 6001), peer(2, "2001:db8::7", 6002), peer(3, "p2p.example.org", 6003));

    PeerCacheFile.write(file(), SELF, peers);

    assertThat(PeerCacheFile.read(file(), SELF)).isEqualTo(PeerCacheFile.Contents.of(peers));
  }

  @Test
  void theFileIsTheHeaderThenOneIdAndAddressPerLineWithIpv6InBrackets() throws IOException {
    PeerCacheFile.write(file(), SELF, List.of(peer(1, "10.0.0.1", 6001), peer(2, "::1", 6002)));

    assertThat(Files.readString(file())).isEqualTo(HEADER
        + id(1).hex() + " 10.0.0.1:6001\n"
        + id(2).hex() + " [::1]:6002\n");
  }

  @Test
  void aMissingFileIsAnEmptyCacheWithoutAProblem() {
    assertThat(PeerCacheFile.read(file(), SELF)).isEqualTo(PeerCacheFile.Contents.of(List.of()));
  }

  @Test
  void theOwnIdentityAndRepeatedIdentitiesAreSkipped() throws IOException {
    PeerCacheFile.Contents read = readText(HEADER
        + id(1).hex() + " 10.0.0.1:6001\n"
        + SELF.hex() + " 10.0.0.9:6009\n"
        + id(1).hex() + " 10.0.0.2:6002\n"
        + id(2).hex() + " 10.0.0.3:6003\n");

    assertThat(read).isEqualTo(PeerCacheFile.Contents.of(List.of(peer(1, "10.0.0.1", 6001), peer(2, "10.0.0.3", 6003))));
  }

  @Test
  void aFileWithoutTheLastLineEndIsRead() throws IOException {
    assertThat(readText(HEADER + id(1).hex() + " 10.0.0.1:6001").peers()).containsExactly(peer(1, "10.0.0.1", 6001));
  }

  @Test
  void aBadHeaderIgnoresTheFile() throws IOException {
    PeerCacheFile.Contents read = readText("voidphone-gossip peers 2 " + SELF.hex() + "\n" + id(1).hex() + " 10.0.0.1:6001\n");

    assertThat(read).isEqualTo(PeerCacheFile.Contents.ignored("line 1: not 'voidphone-gossip peers 1 <identity>'"));
  }

  @Test
  void anEmptyFileIsIgnored() throws IOException {
    assertThat(readText("").problem()).contains("empty (no 'voidphone-gossip peers 1 <identity>' line)");
  }

  @Test
  void aBadPeerLineIgnoresTheWholeFileNamingTheLine() throws IOException {
    PeerCacheFile.Contents read = readText(HEADER + id(1).hex() + " 10.0.0.1:6001\n" + "garbage\n");

    assertThat(read).isEqualTo(PeerCacheFile.Contents.ignored("line 3: not '<id> <host>:<port>'"));
  }

  @Test
  void aPeerLineWithABadAddressSaysWhatIsWrongWithIt() throws IOException {
    PeerCacheFile.Contents read = readText(HEADER + id(1).hex() + " 10.0.0.1\n");

    assertThat(read).isEqualTo(PeerCacheFile.Contents.ignored(
        "line 2: not '<id> <host>:<port>' (\"10.0.0.1\" is not host:port (the port is missing))"));
  }

  @Test
  void aPeerLineWithPortZeroIsBad() throws IOException {
    assertThat(readText(HEADER + id(1).hex() + " 10.0.0.1:0\n").problem())
        .contains("line 2: not '<id> <host>:<port>' (port 0 cannot be dialled)");
  }

  @Test
  void anUpperCaseIdentityIsABadLine() throws IOException {
    assertThat(readText(HEADER + id(1).hex().toUpperCase() + " 10.0.0.1:6001\n").problem())
        .contains("line 2: not '<id> <host>:<port>'");
  }

  @Test
  void anEmptyLineIsABadLine() throws IOException {
    assertThat(readText(HEADER + "\n" + id(1).hex() + " 10.0.0.1:6001\n").problem())
        .contains("line 2: not '<id> <host>:<port>'");
  }

  @Test
  void aFileOfAnotherIdentityIsIgnored() throws IOException {
    PeerCacheFile.Contents read = readText("voidphone-gossip peers 1 " + id(7).hex() + "\n" + id(1).hex() + " 10.0.0.1:6001\n");

    assertThat(read).isEqualTo(PeerCacheFile.Contents.ignored(
        "written for identity " + id(7).shortHex() + ", not this node's " + SELF.shortHex() + " (a file of another key?)"));
  }

  @Test
  void exactly256PeerLinesAreRead() throws IOException {
    assertThat(readText(HEADER + peerLines(256)).peers()).hasSize(256);
  }

  @Test
  void moreThan256PeerLinesIgnoreTheFile() throws IOException {
    assertThat(readText(HEADER + peerLines(257))).isEqualTo(PeerCacheFile.Contents.ignored("257 peer lines, more than 256"));
  }

  @Test
  void aFileOver64KiBIsNotRead() throws IOException {
    String padded = HEADER + id(1).hex() + " " + "a".repeat(60) + ".example.org:6001\n";
    StringBuilder big = new StringBuilder(padded);
    while (big.length() <= PeerCacheFile.MAX_FILE_BYTES) big.append(HEADER); // bad lines too, never reached

    assertThat(readText(big.toString())).isEqualTo(PeerCacheFile.Contents.ignored("larger than 64 KiB"));
  }

  @Test
  void aFileThatIsNotUtf8IsIgnored() throws IOException {
    Files.write(file(), new byte[] {'v', (byte) 0xff, '\n'});

    assertThat(PeerCacheFile.read(file(), SELF)).isEqualTo(PeerCacheFile.Contents.ignored("not UTF-8 text"));
  }

  @Test
  void anUnreadableFileIsIgnored() throws IOException {
    Files.createDirectory(file()); // reading a directory fails like an unreadable file

    assertThat(PeerCacheFile.read(file(), SELF).problem()).get().asString().startsWith("cannot read it (");
  }

  @Test
  void writingKeepsTheFirst256PeersInTheirOrder() throws IOException {
    List<Peer> many = new ArrayList<>();
    for (int n = 1; n <= 300; n++) many.add(peer(n, "10.0." + n / 256 + "." + n % 256, 6000));

    PeerCacheFile.write(file(), SELF, many);

    assertThat(PeerCacheFile.read(file(), SELF).peers()).isEqualTo(many.subList(0, 256));
  }

  @Test
  void writingStopsBeforeTheFileWouldBeTooLargeToRead() throws IOException {
    String longName = ("a".repeat(62) + ".").repeat(3) + "example.org"; // 200 characters, a valid host name
    List<Peer> many = new ArrayList<>();
    for (int n = 1; n <= 256; n++) many.add(peer(n, longName, 6000 + n));

    PeerCacheFile.write(file(), SELF, many);

    assertThat(Files.size(file())).isLessThanOrEqualTo(PeerCacheFile.MAX_FILE_BYTES);
    List<Peer> read = PeerCacheFile.read(file(), SELF).peers();
    assertThat(read).hasSizeBetween(200, 255).isEqualTo(many.subList(0, read.size()));
  }

  @Test
  void writingLeavesOutSelfRepeatsAndAddressesThatWouldNotReadBack() throws IOException {
    Peer good = peer(1, "10.0.0.1", 6001);
    List<Peer> peers = List.of(
        new Peer(SELF, new PeerAddress("10.0.0.9", 6009)),
        good,
        peer(1, "10.0.0.2", 6002),
        peer(2, "evil\n" + id(3).hex() + " 10.6.6.6", 6002), // a peer advertises what it likes
        peer(4, "not a host", 6004));

    assertThat(PeerCacheFile.render(SELF, peers)).isEqualTo(HEADER + id(1).hex() + " 10.0.0.1:6001\n");
  }

  @Test
  void anAtomicWriteLeavesNoTemporaryFile() throws IOException {
    PeerCacheFile.write(file(), SELF, List.of(peer(1, "10.0.0.1", 6001)));
    PeerCacheFile.write(file(), SELF, List.of(peer(2, "10.0.0.2", 6002))); // replacing an existing file

    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(file());
    }
    assertThat(PeerCacheFile.read(file(), SELF).peers()).containsExactly(peer(2, "10.0.0.2", 6002));
  }

  @Test
  void theFileIsReadableByItsOwnerOnly() throws IOException {
    PeerCacheFile.write(file(), SELF, List.of(peer(1, "10.0.0.1", 6001)));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
  }

  @Test
  void aWriteThatFailsLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    PeerCacheFile.write(file(), SELF, List.of(peer(1, "10.0.0.1", 6001)));
    Path blocked = dir.resolve("blocked");
    Files.createDirectories(blocked.resolve("hostkey.pem.peers").resolve("occupied")); // a non-empty directory cannot be replaced

    assertThatThrownBy(() -> PeerCacheFile.write(blocked.resolve("hostkey.pem.peers"), SELF, List.of(peer(2, "10.0.0.2", 6002))))
        .isInstanceOf(IOException.class);
    try (Stream<Path> files = Files.list(blocked)) {
      assertThat(files).containsExactly(blocked.resolve("hostkey.pem.peers"));
    }
  }

  private static String peerLines(int count) {
    StringBuilder b = new StringBuilder();
    for (int n = 1; n <= count; n++) b.append(id(n).hex()).append(" 10.0.").append(n / 256).append('.').append(n % 256).append(":6000\n");
    return b.toString();
  }
}
