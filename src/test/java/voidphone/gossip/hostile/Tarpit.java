package voidphone.gossip.hostile;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import voidphone.gossip.core.PeerAddress;

/**
 * A listening socket that accepts every connection and never says a word: a dial of it connects
 * and then hangs until the dialler gives up (for a node, its 10 s handshake timeout). What an
 * address behind a firewall that drops does to a dialler, on loopback.
 */
final class Tarpit implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> held = new CopyOnWriteArrayList<>();

  private Tarpit(ServerSocket server) {
    this.server = server;
  }

  static Tarpit open(String host) {
    try {
      ServerSocket server = new ServerSocket();
      server.bind(new InetSocketAddress(host, 0));
      Tarpit tarpit = new Tarpit(server);
      Thread.ofVirtual().name("tarpit-" + host).start(tarpit::accept);
      return tarpit;
    } catch (IOException e) {
      throw new IllegalStateException("tarpit on " + host + ": " + e.getMessage(), e);
    }
  }

  private void accept() {
    try {
      while (true) held.add(server.accept()); // held open, never read nor written
    } catch (IOException closed) {
      // the tarpit was closed
    }
  }

  PeerAddress address() {
    return new PeerAddress(server.getInetAddress().getHostAddress(), server.getLocalPort());
  }

  @Override
  public void close() {
    try {
      server.close();
      for (Socket s : held) s.close();
    } catch (IOException ignored) {
      // closing: the dialler sees its connection end, which is all that is left to do
    }
  }
}
