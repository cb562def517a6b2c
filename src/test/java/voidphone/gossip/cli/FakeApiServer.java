package voidphone.gossip.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for a gossip node's API: accepts one connection on loopback and lets the test script
 * the conversation byte by byte.
 */
final class FakeApiServer implements AutoCloseable {
  private final ServerSocket server;
  private final CompletableFuture<Socket> client = new CompletableFuture<>();

  FakeApiServer() throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(() -> {
      try {
        client.complete(server.accept());
      } catch (IOException e) {
        client.completeExceptionally(e);
      }
    });
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  Socket client() throws Exception {
    return client.get(CliProcess.TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Exactly {@code n} bytes from the client; fails if it closes first. */
  byte[] read(int n) throws Exception {
    byte[] bytes = client().getInputStream().readNBytes(n);
    if (bytes.length != n) {
      throw new AssertionError("client sent " + bytes.length + " bytes, then closed; expected " + n);
    }
    return bytes;
  }

  /** Everything the client sends until it closes its side. */
  CompletableFuture<byte[]> readToEnd() {
    return CompletableFuture.supplyAsync(() -> {
      try (InputStream in = client().getInputStream()) {
        return in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, runnable -> Thread.ofVirtual().start(runnable));
  }

  void write(byte[] bytes) throws Exception {
    client().getOutputStream().write(bytes);
    client().getOutputStream().flush();
  }

  /** Closes the client's connection, as a node that shuts down would. */
  void disconnect() throws Exception {
    client().close();
  }

  @Override
  public void close() throws IOException {
    server.close();
    Socket socket = client.getNow(null);
    if (socket != null) {
      socket.close();
    }
  }
}
