package voidphone.gossip.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A blocking API client for tests, like a module would write one: one write per message, reads
 * with a timeout so a missing message fails the test instead of hanging it.
 */
final class TestApiClient implements AutoCloseable {
  static final int READ_TIMEOUT_MILLIS = 5_000;

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private TestApiClient(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  static TestApiClient connect(InetSocketAddress server) {
    return connect(server, 0);
  }

  /** @param receiveBufferBytes the socket's receive buffer, or 0 for the system default */
  static TestApiClient connect(InetSocketAddress server, int receiveBufferBytes) {
    try {
      Socket s = new Socket();
      if (receiveBufferBytes > 0) {
        s.setReceiveBufferSize(receiveBufferBytes); // before connect, so the window is small too
      }
      s.setTcpNoDelay(true);
      s.setSoTimeout(READ_TIMEOUT_MILLIS);
      s.connect(server, READ_TIMEOUT_MILLIS);
      return new TestApiClient(s);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestApiClient send(ApiMessage message) {
    return sendRaw(ApiWire.encode(message));
  }

  TestApiClient sendRaw(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestApiClient subscribe(int dataType) {
    return send(new ApiMessage.Notify(dataType));
  }

  TestApiClient announce(int dataType, byte[] data) {
    return send(new ApiMessage.Announce(0, dataType, data));
  }

  /** The next message, which must be a NOTIFICATION arriving within the read timeout. */
  ApiMessage.Notification readNotification() {
    try {
      int size = in.readUnsignedShort();
      int type = in.readUnsignedShort();
      byte[] body = new byte[size - ApiMessage.HEADER_SIZE];
      in.readFully(body);
      return ApiWire.decodeNotification(size, type, ByteBuffer.wrap(body));
    } catch (IOException | MalformedMessageException e) {
      throw new AssertionError("no notification: " + e, e);
    }
  }

  /** Asserts that the server closes this connection within the read timeout. */
  void assertClosedByServer() {
    try {
      int b = in.read();
      assertThat(b).as("the server should have closed the connection, not sent data").isEqualTo(-1);
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within the timeout", e);
    } catch (EOFException | SocketException e) {
      // closed, possibly with a reset because our unread bytes were discarded
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads and discards whatever is queued until the server's close arrives (within the timeout). */
  void drainUntilClosedByServer() {
    byte[] sink = new byte[64 * 1024];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server did not close the connection within the timeout", e);
    } catch (SocketException e) {
      // closed with a reset
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
