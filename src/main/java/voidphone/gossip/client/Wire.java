package voidphone.gossip.client;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.ProtocolException;

/**
 * The four API messages (spec gossip-api.md, section 2), encoded here rather than borrowed from the
 * server's codec so that the client needs nothing but the JDK. Every integer is big-endian.
 */
final class Wire {
  static final int ANNOUNCE = 500;
  static final int NOTIFY = 501;
  static final int NOTIFICATION = 502;
  static final int VALIDATION = 503;
  /** size u16, type u16, then four bytes of fields before any data. */
  static final int FIXED = 8;
  /** The largest item: a whole message is at most 65,535 bytes. */
  static final int MAX_DATA = Options.MAX_FRAME - FIXED;

  private Wire() {}

  static byte[] announce(int ttl, int dataType, byte[] data) {
    byte[] frame = header(FIXED + data.length, ANNOUNCE);
    frame[4] = (byte) ttl; // frame[5] is reserved, 0
    putU16(frame, 6, dataType);
    System.arraycopy(data, 0, frame, FIXED, data.length);
    return frame;
  }

  static byte[] notify(int dataType) {
    byte[] frame = header(FIXED, NOTIFY); // bytes 4..5 reserved
    putU16(frame, 6, dataType);
    return frame;
  }

  static byte[] validation(int messageId, boolean valid) {
    byte[] frame = header(FIXED, VALIDATION);
    putU16(frame, 4, messageId);
    frame[7] = (byte) (valid ? 1 : 0); // V is bit 0 of the last u16; the other 15 bits are reserved
    return frame;
  }

  /** A NOTIFICATION as the node sent it: its message id and the item. */
  record Received(int messageId, Notification notification) {}

  /**
   * Reads one NOTIFICATION, the only message a node sends. Anything else means the two ends no
   * longer agree on where frames start, so the connection is useless: a ProtocolException.
   */
  static Received read(DataInputStream in, String api) throws IOException {
    int size = in.readUnsignedShort();
    int type = in.readUnsignedShort();
    if (type != NOTIFICATION) {
      throw new ProtocolException("gossip API at " + api + " sent a message of type " + type
          + " (size " + size + "); a node sends only NOTIFICATION (502)");
    }
    if (size < FIXED) {
      throw new ProtocolException("gossip API at " + api + " sent a NOTIFICATION of size " + size
          + ", below its 8 fixed bytes");
    }
    int messageId = in.readUnsignedShort();
    int dataType = in.readUnsignedShort();
    byte[] data = new byte[size - FIXED]; // at most 65,527 bytes: size is a u16
    in.readFully(data);
    return new Received(messageId, new Notification(dataType, data, messageId));
  }

  private static byte[] header(int size, int type) {
    byte[] frame = new byte[size];
    putU16(frame, 0, size);
    putU16(frame, 2, type);
    return frame;
  }

  private static void putU16(byte[] frame, int at, int value) {
    frame[at] = (byte) (value >>> 8);
    frame[at + 1] = (byte) value;
  }
}
