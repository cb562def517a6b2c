package voidphone.gossip.cli;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import voidphone.gossip.api.ApiMessage;
import voidphone.gossip.api.ApiWire;
import voidphone.gossip.api.MalformedMessageException;
import voidphone.gossip.config.HostPort;

/**
 * A blocking client of the local gossip API, as the CLI's {@code announce} and {@code subscribe} use
 * it. Failures are {@link CliFailure}s with one-line messages naming the API address.
 */
final class ApiClient implements AutoCloseable {
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final HostPort address;
  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private ApiClient(HostPort address, Socket socket) throws IOException {
    this.address = address;
    this.socket = socket;
    this.out = socket.getOutputStream(); // unbuffered: one write() per message, as the spec asks
    this.in = new DataInputStream(socket.getInputStream());
  }

  static ApiClient connect(HostPort address) {
    if (address.port() == 0) {
      throw CliFailure.config("cannot connect to gossip API at " + address + ": port 0 is not a real port");
    }
    Socket socket = new Socket();
    try {
      // Several known servers and clients read one TCP segment as one message; never let Nagle merge.
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(address.host(), address.port()), (int) CONNECT_TIMEOUT.toMillis());
      return new ApiClient(address, socket);
    } catch (UnknownHostException e) {
      closeQuietly(socket);
      throw CliFailure.runtime("cannot connect to gossip API at " + address + ": unknown host " + address.host());
    } catch (SocketTimeoutException e) {
      closeQuietly(socket);
      throw CliFailure.runtime("cannot connect to gossip API at " + address + ": no answer within "
          + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (IOException e) {
      closeQuietly(socket);
      throw CliFailure.runtime("cannot connect to gossip API at " + address + ": " + e.getMessage());
    }
  }

  /** Writes {@code message} as one frame with a single write. */
  void send(ApiMessage message) {
    try {
      out.write(ApiWire.encode(message));
      out.flush();
    } catch (IOException e) {
      throw CliFailure.runtime("gossip API at " + address + ": cannot send: " + e.getMessage());
    }
  }

  /** The next NOTIFICATION; blocks until one arrives. */
  ApiMessage.Notification receiveNotification() {
    try {
      int size = in.readUnsignedShort();
      int type = in.readUnsignedShort();
      if (size < ApiMessage.HEADER_SIZE) {
        throw CliFailure.runtime("gossip API at " + address + " sent a frame of size " + size + ", below the 4-byte header");
      }
      byte[] body = new byte[size - ApiMessage.HEADER_SIZE]; // at most 65531: size is a u16
      in.readFully(body);
      return ApiWire.decodeNotification(size, type, ByteBuffer.wrap(body));
    } catch (EOFException e) {
      throw CliFailure.runtime("gossip API at " + address + " closed the connection");
    } catch (MalformedMessageException e) {
      throw CliFailure.runtime("gossip API at " + address + " sent a malformed message: " + e.getMessage());
    } catch (IOException e) {
      throw CliFailure.runtime("gossip API at " + address + ": cannot receive: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      socket.shutdownOutput(); // a clean FIN after the last message, so the server reads it all
    } catch (IOException e) {
      // the connection is gone already; nothing was left to deliver
    }
    closeQuietly(socket);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // closing is best effort; the process ends right after
    }
  }
}
