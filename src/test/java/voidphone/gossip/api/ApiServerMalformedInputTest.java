package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input costs only the connection that sent it (spec section 3, "Bad input"). */
class ApiServerMalformedInputTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
  private static final int WATCHED_TYPE = 4242;
  /** Base seed of the random streams; override with -Dgossip.test.seed=N to replay a failure. */
  private static final long SEED = Long.getLong("gossip.test.seed", 0x5EED_A91L);
  private static final int RANDOM_CONNECTIONS = 200;

  private final TestServer server = TestServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  static Stream<Arguments> malformedFrames() {
    return Stream.of(
        Arguments.of("size 0", "00 00"),
        Arguments.of("size 3", "00 03 01 f4"),
        Arguments.of("unknown type 504", "00 04 01 f8"),
        Arguments.of("unknown type 0", "00 08 00 00 00 00 00 01"),
        Arguments.of("NOTIFICATION sent by a client", "00 09 01 f6 00 01 10 92 ff"),
        Arguments.of("NOTIFY of size 9", "00 09 01 f5 00 00 10 92 00"),
        Arguments.of("NOTIFY of size 6", "00 06 01 f5 10 92"),
        Arguments.of("NOTIFY of size 4", "00 04 01 f5"),
        Arguments.of("VALIDATION of size 9", "00 09 01 f7 00 01 00 01 00"),
        Arguments.of("VALIDATION of size 7", "00 07 01 f7 00 01 00"),
        Arguments.of("ANNOUNCE of size 8, no data", "00 08 01 f4 01 00 10 92"),
        Arguments.of("ANNOUNCE of size 4", "00 04 01 f4"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedFrames")
  void aMalformedFrameClosesOnlyThatConnection(String name, String hex) {
    try (TestApiClient watcher = server.client().subscribe(WATCHED_TYPE);
        TestApiClient bad = server.client();
        TestApiClient announcer = server.client()) {
      server.awaitSubscribers(WATCHED_TYPE, 1);

      bad.sendRaw(HEX.parseHex(hex));
      bad.assertClosedByServer();

      byte[] item = ("after " + name).getBytes(StandardCharsets.UTF_8);
      announcer.announce(WATCHED_TYPE, item);
      assertThat(watcher.readNotification().data()).isEqualTo(item);
    }
  }

  @Test
  void messagesBeforeAMalformedFrameInTheSameWriteAreStillProcessed() {
    try (TestApiClient watcher = server.client().subscribe(WATCHED_TYPE);
        TestApiClient bad = server.client()) {
      server.awaitSubscribers(WATCHED_TYPE, 1);
      byte[] item = {42};
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.writeBytes(ApiWire.encode(new ApiMessage.Announce(0, WATCHED_TYPE, item)));
      both.writeBytes(HEX.parseHex("00 04 01 f8"));

      bad.sendRaw(both.toByteArray());

      bad.assertClosedByServer();
      assertThat(watcher.readNotification().data()).isEqualTo(item);
    }
  }

  @Test
  void randomByteStreamsNeverDisturbAWellBehavedClient() {
    try (TestApiClient watcher = server.client().subscribe(WATCHED_TYPE);
        TestApiClient announcer = server.client()) {
      server.awaitSubscribers(WATCHED_TYPE, 1);

      for (int i = 0; i < RANDOM_CONNECTIONS; i++) {
        long seed = SEED + i;
        try (TestApiClient noisy = server.client()) {
          noisy.sendRaw(randomStream(new SplittableRandom(seed)));
        }
        if (i % 20 == 19 || i == RANDOM_CONNECTIONS - 1) {
          byte[] marker = ByteBuffer.allocate(8).putLong(seed).array();
          announcer.announce(WATCHED_TYPE, marker);
          awaitMarker(watcher, marker, seed);
        }
      }
    }
  }

  /** Reads until {@code marker}; random streams may have announced items of the watched type too. */
  private static void awaitMarker(TestApiClient watcher, byte[] marker, long seed) {
    for (int read = 0; read < 10_000; read++) {
      ApiMessage.Notification n = watcher.readNotification();
      if (n.dataType() == WATCHED_TYPE && java.util.Arrays.equals(n.data(), marker)) {
        return;
      }
    }
    throw new AssertionError("marker never arrived after random stream with seed " + seed);
  }

  /**
   * A mix of what a broken or hostile module sends: well-formed messages, well-formed frames with a
   * byte flipped, headers with random sizes and types, and plain noise.
   */
  static byte[] randomStream(SplittableRandom r) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int parts = r.nextInt(1, 6);
    for (int p = 0; p < parts; p++) {
      switch (r.nextInt(4)) {
        case 0 -> out.writeBytes(randomBytes(r, r.nextInt(0, 64)));
        case 1 -> out.writeBytes(ApiWire.encode(randomMessage(r)));
        case 2 -> {
          byte[] frame = ApiWire.encode(randomMessage(r));
          frame[r.nextInt(frame.length)] ^= (byte) (1 << r.nextInt(8));
          out.writeBytes(frame);
        }
        default -> {
          int size = r.nextInt(0, 0x10000);
          int type = r.nextBoolean() ? r.nextInt(500, 504) : r.nextInt(0, 0x10000);
          out.writeBytes(ByteBuffer.allocate(4).putShort((short) size).putShort((short) type).array());
          out.writeBytes(randomBytes(r, r.nextInt(0, 128)));
        }
      }
    }
    return out.toByteArray();
  }

  private static ApiMessage randomMessage(SplittableRandom r) {
    return switch (r.nextInt(3)) {
      case 0 -> new ApiMessage.Announce(r.nextInt(256), r.nextInt(0x10000), randomBytes(r, r.nextInt(1, 40)));
      case 1 -> new ApiMessage.Notify(r.nextInt(0x10000));
      default -> new ApiMessage.Validation(r.nextInt(0x10000), r.nextBoolean());
    };
  }

  private static byte[] randomBytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return b;
  }
}
