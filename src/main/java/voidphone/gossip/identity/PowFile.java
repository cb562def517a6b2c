package voidphone.gossip.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import voidphone.gossip.config.IoErrors;
import voidphone.gossip.core.NodeId;

/**
 * The solved proof of work kept beside its hostkey as {@code <hostkey>.pow}, so that only the first
 * start with a key (or with a higher difficulty) pays for it.
 *
 * <p>The file is one line, {@code <difficulty> <nonce>} (decimal, the nonce unsigned), for example
 * {@code 24 9731020}. Nothing in it is trusted: the nonce is checked against the key's identity on
 * every start (one hash), so a stale file left beside a new key, a hand-edited or a damaged file is
 * simply solved again.
 */
public final class PowFile {
  private static final Logger log = LoggerFactory.getLogger(PowFile.class);

  /** Two numbers and a space; anything longer is not ours. */
  static final int MAX_FILE_BYTES = 64;

  private PowFile() {}

  /** Where the stamp for {@code hostkeyFile} is kept: the same name plus {@code .pow}. */
  public static Path pathFor(Path hostkeyFile) {
    return hostkeyFile.resolveSibling(hostkeyFile.getFileName() + ".pow");
  }

  /**
   * A stamp for {@code id} that meets {@code difficulty}: the stored one if it is valid and good
   * enough, else a freshly solved one, which is then stored (a store that fails is logged and
   * otherwise ignored: the node can still run, it just solves again next time).
   */
  public static PowStamp ensure(Path hostkeyFile, NodeId id, int difficulty) {
    Path file = pathFor(hostkeyFile);
    Optional<PowStamp> stored = read(file, id);
    if (stored.isPresent() && ProofOfWork.verify(id, stored.get().nonce(), difficulty)) {
      return stored.get();
    }
    stored.ifPresent(s -> log.info("{}: proof of work is for difficulty {}, config asks {}; solving again",
        file, s.difficulty(), difficulty));
    long started = System.nanoTime();
    PowStamp stamp = new PowStamp(difficulty, ProofOfWork.solve(id, difficulty));
    long millis = (System.nanoTime() - started) / 1_000_000;
    log.info("identity {}: solved proof of work at difficulty {} in {} ms", id.shortHex(), difficulty, millis);
    store(file, stamp);
    return stamp;
  }

  /** The stamp stored for {@code hostkeyFile}, if there is a valid one; never solves. */
  public static Optional<PowStamp> stored(Path hostkeyFile, NodeId id) {
    Path file = pathFor(hostkeyFile);
    return Files.exists(file) ? read(file, id) : Optional.empty();
  }

  /** The stored stamp if it parses and really meets the difficulty it claims for this identity. */
  static Optional<PowStamp> read(Path file, NodeId id) {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("{}: cannot read proof of work ({}); solving again", file, IoErrors.describe(e));
      return Optional.empty();
    }
    Optional<PowStamp> stamp = bytes.length > MAX_FILE_BYTES
        ? Optional.empty()
        : parse(new String(bytes, StandardCharsets.US_ASCII));
    if (stamp.isEmpty()) {
      log.warn("{}: not a proof-of-work file ('<difficulty> <nonce>'); solving again", file);
    } else if (!ProofOfWork.verify(id, stamp.get().nonce(), stamp.get().difficulty())) {
      log.warn("{}: proof of work does not fit identity {} (file of another key?); solving again", file, id.shortHex());
      return Optional.empty();
    }
    return stamp;
  }

  static Optional<PowStamp> parse(String text) {
    String[] fields = text.strip().split(" ");
    if (fields.length != 2 || !fields[0].matches("[0-9]{1,3}") || !fields[1].matches("[0-9]{1,20}")) {
      return Optional.empty();
    }
    try {
      int difficulty = Integer.parseInt(fields[0]);
      if (difficulty > ProofOfWork.MAX_VERIFIABLE_DIFFICULTY) {
        return Optional.empty();
      }
      return Optional.of(new PowStamp(difficulty, Long.parseUnsignedLong(fields[1])));
    } catch (NumberFormatException e) { // a 20-digit number above 2^64 - 1
      return Optional.empty();
    }
  }

  private static void store(Path file, PowStamp stamp) {
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      // Write then rename: a crash mid-write must not leave a file that looks like a stamp.
      Files.writeString(temporary, stamp + "\n", StandardCharsets.US_ASCII);
      Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      log.warn("{}: cannot store proof of work ({}); it will be solved again at the next start",
          file, IoErrors.describe(e));
      try {
        if (Files.isRegularFile(temporary)) { // never remove what someone else put there
          Files.delete(temporary);
        }
      } catch (IOException ignored) {
        // nothing left to do: the warning above already tells the operator
      }
    }
  }
}
