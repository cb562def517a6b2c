package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The server parses a byte stream, not "one read = one message" (spec section 1). */
class ApiServerFramingTest {
  private static final int TYPE = 77;

  private final TestServer server = TestServer.start();

  @AfterEach
  void stop() {
    server.close();
  }

  private static void sendByteByByte(TestApiClient client, ApiMessage message) {
    for (byte b : ApiWire.encode(message)) {
      client.sendRaw(new byte[] {b});
    }
  }

  @Test
  void messagesSentOneByteAtATimeAreReassembled() {
    try (TestApiClient sub = server.client();
        TestApiClient announcer = server.client()) {
      sendByteByByte(sub, new ApiMessage.Notify(TYPE));
      server.awaitSubscribers(TYPE, 1);
      byte[] item = "split".getBytes();

      sendByteByByte(announcer, new ApiMessage.Announce(0, TYPE, item));

      assertThat(sub.readNotification().data()).isEqualTo(item);
    }
  }

  @Test
  void manyMessagesCoalescedInOneWriteAreAllProcessedInOrder() {
    try (TestApiClient sub = server.client().subscribe(TYPE);
        TestApiClient announcer = server.client()) {
      server.awaitSubscribers(TYPE, 1);
      int items = 500; // 500 x 108 bytes: the notifications overflow several write batches too
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < items; i++) {
        burst.writeBytes(ApiWire.encode(new ApiMessage.Announce(0, TYPE, numbered(i))));
      }

      announcer.sendRaw(burst.toByteArray());

      for (int i = 0; i < items; i++) {
        assertThat(sub.readNotification().data()).isEqualTo(numbered(i));
      }
    }
  }

  private static byte[] numbered(int i) {
    byte[] data = new byte[100];
    data[0] = (byte) i;
    data[1] = (byte) (i >> 8);
    return data;
  }

  @Test
  void notifyAndAnnounceFollowedByAnImmediateCloseStillReachTheOtherSubscriber() {
    try (TestApiClient sub = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 1);
      byte[] item = "last words".getBytes();
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.writeBytes(ApiWire.encode(new ApiMessage.Notify(TYPE)));
      both.writeBytes(ApiWire.encode(new ApiMessage.Announce(0, TYPE, item)));

      try (TestApiClient hitAndRun = server.client()) {
        hitAndRun.sendRaw(both.toByteArray());
      }

      assertThat(sub.readNotification().data()).isEqualTo(item);
    }
  }

  @Test
  void everyCompleteMessageBeforeACloseIsProcessedEvenWhenTheyFillManyReads() {
    try (TestApiClient sub = server.client().subscribe(TYPE)) {
      server.awaitSubscribers(TYPE, 1);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      int items = 64; // 64 x 16 KiB: several reads' worth before the close
      for (int i = 0; i < items; i++) {
        byte[] data = new byte[16 * 1024];
        data[0] = (byte) i;
        burst.writeBytes(ApiWire.encode(new ApiMessage.Announce(0, TYPE, data)));
      }
      burst.writeBytes(new byte[] {0, 20, 1}); // and a torn frame, dropped

      try (TestApiClient hitAndRun = server.client()) {
        hitAndRun.sendRaw(burst.toByteArray());
      }

      for (int i = 0; i < items; i++) {
        assertThat(sub.readNotification().data()[0]).isEqualTo((byte) i);
      }
    }
  }
}
