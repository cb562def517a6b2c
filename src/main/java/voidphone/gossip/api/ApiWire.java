package voidphone.gossip.api;

import java.nio.ByteBuffer;

/**
 * Byte layout of the local API (spec section 2): encodes messages to exact frames and decodes one
 * frame's body. Framing (finding where a frame ends in a byte stream) is the caller's job; every
 * check the spec lists for a single frame is made here, so the Netty server, the CLI client and
 * the tests agree on what is malformed.
 */
public final class ApiWire {
  private ApiWire() {}

  /** One frame, header included, ready to be written with a single write. */
  public static byte[] encode(ApiMessage message) {
    ByteBuffer out;
    switch (message) {
      case ApiMessage.Announce a -> {
        out = header(ApiMessage.FIXED_SIZE + a.data().length, a.type());
        out.put((byte) a.ttl()).put((byte) 0).putShort((short) a.dataType()).put(a.data());
      }
      case ApiMessage.Notify n -> {
        out = header(ApiMessage.FIXED_SIZE, n.type());
        out.putShort((short) 0).putShort((short) n.dataType());
      }
      case ApiMessage.Notification n -> {
        out = header(ApiMessage.FIXED_SIZE + n.data().length, n.type());
        out.putShort((short) n.messageId()).putShort((short) n.dataType()).put(n.data());
      }
      case ApiMessage.Validation v -> {
        out = header(ApiMessage.FIXED_SIZE, v.type());
        out.putShort((short) v.messageId()).putShort((short) (v.valid() ? 1 : 0));
      }
    }
    return out.array();
  }

  private static ByteBuffer header(int size, int type) {
    return ByteBuffer.allocate(size).putShort((short) size).putShort((short) type);
  }

  /**
   * Decodes one frame whose header said {@code size} and {@code type}; {@code body} holds exactly
   * the {@code size - 4} bytes after the header and is consumed.
   *
   * @throws MalformedMessageException naming what is wrong, for any frame the spec calls bad input
   */
  public static ApiMessage decode(int size, int type, ByteBuffer body) throws MalformedMessageException {
    if (size < ApiMessage.HEADER_SIZE) {
      throw new MalformedMessageException("size " + size + " is below the 4-byte header");
    }
    if (body.remaining() != size - ApiMessage.HEADER_SIZE) {
      throw new IllegalArgumentException("body holds " + body.remaining() + " bytes, size says " + size);
    }
    return switch (type) {
      case ApiMessage.TYPE_ANNOUNCE -> {
        if (size <= ApiMessage.FIXED_SIZE) {
          throw new MalformedMessageException("ANNOUNCE of size " + size + " carries no data");
        }
        int ttl = Byte.toUnsignedInt(body.get());
        body.get(); // reserved
        int dataType = Short.toUnsignedInt(body.getShort());
        byte[] data = new byte[body.remaining()];
        body.get(data);
        yield new ApiMessage.Announce(ttl, dataType, data);
      }
      case ApiMessage.TYPE_NOTIFY -> {
        requireFixed("NOTIFY", size);
        body.getShort(); // reserved
        yield new ApiMessage.Notify(Short.toUnsignedInt(body.getShort()));
      }
      case ApiMessage.TYPE_VALIDATION -> {
        requireFixed("VALIDATION", size);
        int messageId = Short.toUnsignedInt(body.getShort());
        // Only bit 0 of the last word is V; clients fill the reserved bits differently.
        boolean valid = (body.getShort() & 1) == 1;
        yield new ApiMessage.Validation(messageId, valid);
      }
      case ApiMessage.TYPE_NOTIFICATION ->
          throw new MalformedMessageException("NOTIFICATION is sent by gossip, never by a module");
      default -> throw new MalformedMessageException("unknown message type " + type);
    };
  }

  private static void requireFixed(String name, int size) throws MalformedMessageException {
    if (size != ApiMessage.FIXED_SIZE) {
      throw new MalformedMessageException(name + " must have size 8, got " + size);
    }
  }

  /**
   * Decodes a NOTIFICATION, the one message only a client reads; used by API clients (the CLI's
   * {@code subscribe}, tests), never by the server.
   */
  public static ApiMessage.Notification decodeNotification(int size, int type, ByteBuffer body)
      throws MalformedMessageException {
    if (type != ApiMessage.TYPE_NOTIFICATION) {
      throw new MalformedMessageException("expected NOTIFICATION (502), got type " + type);
    }
    if (size <= ApiMessage.FIXED_SIZE) {
      throw new MalformedMessageException("NOTIFICATION of size " + size + " carries no data");
    }
    int messageId = Short.toUnsignedInt(body.getShort());
    int dataType = Short.toUnsignedInt(body.getShort());
    byte[] data = new byte[body.remaining()];
    body.get(data);
    return new ApiMessage.Notification(messageId, dataType, data);
  }
}
