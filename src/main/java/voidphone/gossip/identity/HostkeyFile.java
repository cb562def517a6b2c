package voidphone.gossip.identity;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import voidphone.gossip.config.IoErrors;

/** Reads, writes and creates hostkey files (PEM RSA private keys, spec section 5). */
public final class HostkeyFile {
  /** Size of the keys {@code gossip keygen} makes, as the spec prescribes. */
  public static final int KEY_BITS = 4096;

  /** A 16384-bit PEM key with a public block is under 16 KiB; anything much larger is not a key. */
  static final int MAX_FILE_BYTES = 64 * 1024;

  private HostkeyFile() {}

  /**
   * Loads the PEM key at {@code file} and derives its identity; the stamp is {@link PowStamp#NONE}.
   *
   * @throws HostkeyException one line naming the file and the problem; a missing file gets a hint to
   *     run {@code gossip keygen}
   */
  public static Hostkey load(Path file) throws HostkeyException {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new HostkeyException(file + ": cannot read hostkey: Is a directory");
      }
      try (InputStream in = Files.newInputStream(file)) {
        bytes = in.readNBytes(MAX_FILE_BYTES + 1);
      }
    } catch (NoSuchFileException e) {
      throw new HostkeyException(file + ": hostkey does not exist; run 'gossip keygen " + file + "' to create one");
    } catch (IOException e) {
      throw new HostkeyException(file + ": cannot read hostkey: " + IoErrors.describe(e));
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new HostkeyException(file + ": is larger than " + MAX_FILE_BYTES + " bytes, too large for a PEM key");
    }
    try {
      return fromKeyPair(PemKeys.parse(new String(bytes, StandardCharsets.US_ASCII)));
    } catch (InvalidPemException e) {
      throw new HostkeyException(file + ": " + e.getMessage());
    }
  }

  /** The hostkey for a key pair already in memory (tests, {@code gossip testnet}). */
  public static Hostkey fromKeyPair(KeyPair pair) {
    return new Hostkey(pair, Identity.of(pair.getPublic()));
  }

  /** A fresh {@value #KEY_BITS}-bit RSA key pair; takes a second or more. */
  public static KeyPair generate() {
    return generate(KEY_BITS, new SecureRandom());
  }

  /** A fresh RSA key pair of {@code bits} (at least 2048; smaller keys would not load). */
  public static KeyPair generate(int bits, SecureRandom random) {
    if (bits < PemKeys.MIN_BITS || bits > PemKeys.MAX_BITS) {
      throw new IllegalArgumentException("RSA key size " + bits + " is outside " + PemKeys.MIN_BITS + ".." + PemKeys.MAX_BITS);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, random);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has RSA", e);
    }
  }

  /**
   * Writes {@code pair}'s private key to a new file as PKCS#8 PEM, readable by its owner only.
   *
   * @throws FileAlreadyExistsException if {@code file} exists: a hostkey is an identity, and
   *     overwriting one by mistake loses it for good
   */
  public static void write(Path file, KeyPair pair) throws IOException {
    byte[] pem = PemKeys.toPkcs8Pem(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII);
    // Create with mode 600 at once (not chmod later), so the key is never readable by others.
    if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
      out.write(pem);
    } catch (IOException e) {
      Files.deleteIfExists(file); // ours, half written: a truncated key would fail to load later
      throw e;
    }
  }
}
