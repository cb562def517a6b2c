package voidphone.gossip.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import voidphone.gossip.config.HostPort;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.core.NodeSettings;
import voidphone.gossip.core.Peer;
import voidphone.gossip.core.PeerAddress;

/**
 * The format of the peer cache kept beside the hostkey as {@code <hostkey>.peers} (docs/CONFIG.md,
 * "Known peers"): UTF-8 text, a header line {@code voidphone-gossip peers 1 <own identity>}, then one
 * line {@code <identity> <host>:<port>} per peer, at most {@value #MAX_PEERS} of them, the file at
 * most {@value #MAX_FILE_BYTES} bytes.
 *
 * <p>Reading is all or nothing: a file with one bad line is not trusted for the others (it was not
 * written by a node, or was damaged), and a file written by another identity (copied beside another
 * key) is not this node's knowledge. Either way the node starts as it would without a cache.
 */
final class PeerCacheFile {
  static final String HEADER = "voidphone-gossip peers 1";
  static final int MAX_PEERS = NodeSettings.MAX_KNOWN_PEERS;
  static final int MAX_FILE_BYTES = 64 * 1024;

  private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
  private static final String LINE_FORM = "not '<id> <host>:<port>'";

  private PeerCacheFile() {}

  /** Where the cache for {@code hostkeyFile} is kept: the same name plus {@code .peers}, like the {@code .pow}. */
  static Path pathFor(Path hostkeyFile) {
    return hostkeyFile.resolveSibling(hostkeyFile.getFileName() + ".peers");
  }

  /**
   * What reading found.
   *
   * @param peers the peers to use, without this node and without duplicates; empty when ignored
   * @param problem why the whole file was ignored (one line for the log, without the file name), or
   *     empty: the file was read, or there was none
   */
  record Contents(List<Peer> peers, Optional<String> problem) {
    static Contents of(List<Peer> peers) {
      return new Contents(List.copyOf(peers), Optional.empty());
    }

    static Contents ignored(String problem) {
      return new Contents(List.of(), Optional.of(problem));
    }
  }

  /** Reads {@code file} for the node {@code self}; never throws. A missing file is an empty cache. */
  static Contents read(Path file, NodeId self) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException firstStart) {
      return Contents.of(List.of());
    } catch (IOException e) {
      return Contents.ignored("cannot read it (" + IoErrors.describe(e) + ")");
    }
    if (bytes.length > MAX_FILE_BYTES) {
      return Contents.ignored("larger than " + MAX_FILE_BYTES / 1024 + " KiB");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return Contents.ignored("not UTF-8 text");
    }
    return parse(text, self);
  }

  static Contents parse(String text, NodeId self) {
    if (text.isEmpty()) return Contents.ignored("empty (no '" + HEADER + " <identity>' line)");
    // the last line end is optional: a file edited by hand may lack it
    String[] lines = (text.endsWith("\n") ? text.substring(0, text.length() - 1) : text).split("\n", -1);
    String header = lines[0];
    String prefix = HEADER + " ";
    if (!header.startsWith(prefix) || !ID.matcher(header.substring(prefix.length())).matches()) {
      return Contents.ignored("line 1: not '" + HEADER + " <identity>'");
    }
    NodeId owner = NodeId.fromHex(header.substring(prefix.length()));
    if (!owner.equals(self)) {
      return Contents.ignored("written for identity " + owner.shortHex() + ", not this node's " + self.shortHex()
          + " (a file of another key?)");
    }
    if (lines.length - 1 > MAX_PEERS) {
      return Contents.ignored((lines.length - 1) + " peer lines, more than " + MAX_PEERS);
    }
    List<Peer> peers = new ArrayList<>(lines.length - 1);
    Set<NodeId> seen = new HashSet<>();
    for (int i = 1; i < lines.length; i++) {
      Peer peer;
      try {
        peer = parseLine(lines[i]);
      } catch (IllegalArgumentException e) {
        return Contents.ignored("line " + (i + 1) + ": " + LINE_FORM + e.getMessage());
      }
      if (!peer.id().equals(self) && seen.add(peer.id())) peers.add(peer);
    }
    return Contents.of(peers);
  }

  /** One peer line; the exception's message is empty or {@code " (detail)"}. */
  private static Peer parseLine(String line) {
    int space = line.indexOf(' ');
    if (space < 0 || !ID.matcher(line.substring(0, space)).matches()) throw new IllegalArgumentException("");
    PeerAddress address = address(line.substring(space + 1));
    return new Peer(NodeId.fromHex(line.substring(0, space)), address);
  }

  private static PeerAddress address(String text) {
    HostPort hostPort;
    try {
      hostPort = HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(" (" + e.getMessage() + ")");
    }
    if (hostPort.port() == 0) throw new IllegalArgumentException(" (port 0 cannot be dialled)");
    return new PeerAddress(hostPort.host(), hostPort.port());
  }

  /**
   * The file's text for {@code peers} in their order: this node, repeated identities and addresses
   * that would not read back are left out (an address comes from the peer itself and may be
   * anything; one bad line would make the whole file be ignored), at most {@link #MAX_PEERS}.
   */
  static String render(NodeId self, List<Peer> peers) {
    StringBuilder b = new StringBuilder(HEADER).append(' ').append(self.hex()).append('\n');
    for (Peer peer : usable(self, peers)) {
      b.append(peer.id().hex()).append(' ').append(peer.address()).append('\n');
    }
    return b.toString();
  }

  /**
   * What {@link #render} writes, as peers: what a read of the written file gives back. Stops before
   * the file would outgrow what a read accepts (256 peers with long host names would).
   */
  static List<Peer> usable(NodeId self, List<Peer> peers) {
    List<Peer> out = new ArrayList<>(Math.min(peers.size(), MAX_PEERS));
    Set<NodeId> seen = new HashSet<>();
    int bytes = HEADER.length() + 1 + 2 * NodeId.BYTES + 1;
    for (Peer peer : peers) {
      if (out.size() == MAX_PEERS) break;
      if (peer.id().equals(self) || !readsBack(peer.address()) || !seen.add(peer.id())) continue;
      int line = 2 * NodeId.BYTES + 1 + peer.address().toString().getBytes(StandardCharsets.UTF_8).length + 1;
      if (bytes + line > MAX_FILE_BYTES) break;
      bytes += line;
      out.add(peer);
    }
    return out;
  }

  private static boolean readsBack(PeerAddress address) {
    try {
      return address(address.toString()).equals(address);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Replaces {@code file} with {@code peers} atomically: a temporary file in the same directory
   * (mode 600: where a node's peers are is nobody else's business), then a rename, so that a crash
   * mid-write leaves the old file or the new one, never half of one.
   */
  static void write(Path file, NodeId self, List<Peer> peers) throws IOException {
    byte[] bytes = render(self, peers).getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(dir, file.getFileName() + ".", ".tmp", ownerOnly(file));
    try {
      Files.write(temporary, bytes);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary); // gone after the rename; left over only when a step failed
    }
  }

  private static FileAttribute<?>[] ownerOnly(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
    return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
  }
}
