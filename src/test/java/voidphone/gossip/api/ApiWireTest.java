package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ApiWireTest {
  private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

  private static ApiMessage decodeFrame(byte[] frame) throws MalformedMessageException {
    ByteBuffer b = ByteBuffer.wrap(frame);
    int size = Short.toUnsignedInt(b.getShort());
    int type = Short.toUnsignedInt(b.getShort());
    return ApiWire.decode(size, type, b);
  }

  @Test
  void announceMatchesTheSpecExampleByteForByte() {
    var announce = new ApiMessage.Announce(4, 1337, "deadbeef".getBytes(StandardCharsets.US_ASCII));
    assertThat(HEX.formatHex(ApiWire.encode(announce)))
        .isEqualTo("00 10 01 f4 04 00 05 39 64 65 61 64 62 65 65 66");
  }

  @Test
  void notificationMatchesTheSpecExampleByteForByte() {
    var n = new ApiMessage.Notification(0x1234, 1337, "deadbeef".getBytes(StandardCharsets.US_ASCII));
    assertThat(HEX.formatHex(ApiWire.encode(n)))
        .isEqualTo("00 10 01 f6 12 34 05 39 64 65 61 64 62 65 65 66");
  }

  @Test
  void validationMatchesTheSpecExampleByteForByte() {
    assertThat(HEX.formatHex(ApiWire.encode(new ApiMessage.Validation(0x1234, true))))
        .isEqualTo("00 08 01 f7 12 34 00 01");
  }

  @Test
  void theLargestItemFillsTheLargestApiMessage() {
    assertThat(ApiMessage.MAX_DATA).isEqualTo(ApiMessage.MAX_SIZE - ApiMessage.FIXED_SIZE);
  }

  @Test
  void announceRoundTripsWithTheLargestTtlTypeAndData() throws Exception {
    var announce = new ApiMessage.Announce(255, 65535, new byte[ApiMessage.MAX_DATA]);
    assertThat(decodeFrame(ApiWire.encode(announce))).isEqualTo(announce);
  }

  @Test
  void notifyRoundTrips() throws Exception {
    var notify = new ApiMessage.Notify(65535);
    assertThat(decodeFrame(ApiWire.encode(notify))).isEqualTo(notify);
  }

  @Test
  void validationRoundTripsBothVerdicts() throws Exception {
    assertThat(decodeFrame(ApiWire.encode(new ApiMessage.Validation(7, true))))
        .isEqualTo(new ApiMessage.Validation(7, true));
    assertThat(decodeFrame(ApiWire.encode(new ApiMessage.Validation(65535, false))))
        .isEqualTo(new ApiMessage.Validation(65535, false));
  }

  @Test
  void notificationRoundTripsThroughTheClientDecoder() throws Exception {
    var n = new ApiMessage.Notification(9, 3, new byte[] {1, 2, 3});
    ByteBuffer b = ByteBuffer.wrap(ApiWire.encode(n));
    int size = Short.toUnsignedInt(b.getShort());
    int type = Short.toUnsignedInt(b.getShort());
    assertThat(ApiWire.decodeNotification(size, type, b)).isEqualTo(n);
  }

  @Test
  void validationReadsOnlyTheLowestBitOfTheLastWord() throws Exception {
    // a client that writes byte 0 then byte 1, and one that sets reserved bits
    assertThat(decodeFrame(HEX.parseHex("00 08 01 f7 00 05 00 01"))).isEqualTo(new ApiMessage.Validation(5, true));
    assertThat(decodeFrame(HEX.parseHex("00 08 01 f7 00 05 ff fe"))).isEqualTo(new ApiMessage.Validation(5, false));
    assertThat(decodeFrame(HEX.parseHex("00 08 01 f7 00 05 80 01"))).isEqualTo(new ApiMessage.Validation(5, true));
  }

  @Test
  void notifyIgnoresItsReservedField() throws Exception {
    assertThat(decodeFrame(HEX.parseHex("00 08 01 f5 ab cd 00 2a"))).isEqualTo(new ApiMessage.Notify(42));
  }

  @Test
  void announceWithoutDataIsMalformed() {
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 08 01 f4 01 00 00 01")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void notifyOfWrongSizeIsMalformed() {
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 09 01 f5 00 00 00 01 00")))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 06 01 f5 00 00")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void validationOfWrongSizeIsMalformed() {
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 09 01 f7 00 00 00 01 00")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void notificationFromAClientIsMalformed() {
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 09 01 f6 00 01 00 01 ff")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void unknownTypeIsMalformed() {
    assertThatThrownBy(() -> decodeFrame(HEX.parseHex("00 04 01 f8")))
        .isInstanceOf(MalformedMessageException.class);
  }

  @Test
  void sizeBelowTheHeaderIsMalformed() {
    assertThatThrownBy(() -> ApiWire.decode(3, 500, ByteBuffer.allocate(0)))
        .isInstanceOf(MalformedMessageException.class);
  }
}
