package voidphone.gossip.link;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import voidphone.gossip.core.PeerAddress;

/**
 * One peer link driven by hand over a blocking TLS socket, for a hostile peer that must do what
 * {@link LinkManager} never does: stop reading while it goes on writing, or put frames on an
 * established link that break the link protocol. Everything up to the link being up is the real
 * thing (the certificate of {@link PeerCertificates}, HELLO and ACCEPT of {@link ControlCodec});
 * what follows is up to the caller.
 */
public final class RawLink implements AutoCloseable {
  /** One frame as read: its channel and body. */
  public record Frame(int channel, byte[] body) {}

  /**
   * How a link ended, as this end saw it: the REFUSE the peer sent before closing (null if it
   * closed without one) and the way the stream ended ("closed", "reset", "timeout").
   */
  public record Ending(ControlMessage.Refuse refusal, String how) {
    public boolean closed() {
      return !how.equals("timeout");
    }
  }

  private final SSLSocket socket;
  private final DataOutputStream out;
  private final DataInputStream in;

  private RawLink(SSLSocket socket) throws IOException {
    this.socket = socket;
    this.out = new DataOutputStream(socket.getOutputStream());
    this.in = new DataInputStream(socket.getInputStream());
  }

  /**
   * TCP and TLS to {@code server} as the peer whose hostkey is {@code hostkey}.
   *
   * @param receiveBufferBytes the socket's receive buffer, set before connecting (so the TCP
   *     window stays that small), or 0 for the system default: a peer that stops reading with a
   *     small window makes the other end queue what it sends at once, not after megabytes
   */
  public static RawLink connect(KeyPair hostkey, PeerAddress server, int receiveBufferBytes) throws Exception {
    PeerCertificates.LinkCredentials credentials = PeerCertificates.forHostkey(hostkey, Instant.now());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("peer", credentials.linkKeys().getPrivate(), new char[0], new Certificate[] {credentials.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {new SelfSignedTrustManager()}, null);
    SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket();
    try {
      if (receiveBufferBytes > 0) socket.setReceiveBufferSize(receiveBufferBytes);
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(server.host(), server.port()), 5_000);
      socket.setSoTimeout(5_000);
      socket.startHandshake();
      return new RawLink(socket);
    } catch (Exception e) {
      socket.close();
      throw e;
    }
  }

  /**
   * The HELLO/ACCEPT handshake as the dialling side: sends HELLO with {@code powNonce} and {@code
   * listen}, answers the peer's HELLO with ACCEPT, and waits for the peer's ACCEPT. Returns null
   * once the link is up at both ends, or the peer's REFUSE.
   */
  public ControlMessage.Refuse handshake(long powNonce, PeerAddress listen) throws IOException {
    sendControl(new ControlMessage.Hello(LinkSettings.PROTOCOL_VERSION, LinkSettings.PROTOCOL_VERSION, powNonce, listen));
    boolean accepted = false;
    boolean helloAnswered = false;
    while (!accepted || !helloAnswered) {
      Frame frame = readFrame();
      if (frame.channel() != LinkManager.CONTROL) continue;
      switch (decodeControl(frame.body())) {
        case ControlMessage.Hello hello -> {
          sendControl(new ControlMessage.Accept());
          helloAnswered = true;
        }
        case ControlMessage.Accept accept -> accepted = true;
        case ControlMessage.Refuse refuse -> {
          return refuse;
        }
        default -> {} // a PING cannot come before the link is up; nothing else to do with it
      }
    }
    return null;
  }

  /** One control message, encoded by the link's own codec. */
  public void sendControl(ControlMessage message) throws IOException {
    sendBytes(controlFrame(message));
  }

  /** A whole channel-0 frame (length prefix, channel, body) holding {@code message}. */
  public static byte[] controlFrame(ControlMessage message) {
    ByteBuf body = Unpooled.buffer(64);
    ControlCodec.encode(message, body);
    ByteBuf frame = Unpooled.buffer(5 + body.readableBytes());
    frame.writeInt(1 + body.readableBytes()).writeByte(LinkManager.CONTROL).writeBytes(body);
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    return bytes;
  }

  /** One frame: length prefix, channel, body. */
  public void sendFrame(int channel, byte[] body) throws IOException {
    out.writeInt(1 + body.length);
    out.writeByte(channel);
    out.write(body);
    out.flush();
  }

  /** Bytes as they are, framed or not (a length prefix alone, many frames at once). */
  public void sendBytes(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** {@code count} PING frames in one buffer, each answered by a PONG from an honest peer. */
  public static byte[] pings(int count, long firstToken) {
    ByteBuf all = Unpooled.buffer(count * 14);
    for (int i = 0; i < count; i++) {
      ByteBuf body = Unpooled.buffer(9);
      ControlCodec.encode(new ControlMessage.Ping(firstToken + i), body);
      all.writeInt(1 + body.readableBytes()).writeByte(LinkManager.CONTROL).writeBytes(body);
    }
    byte[] bytes = new byte[all.readableBytes()];
    all.readBytes(bytes);
    return bytes;
  }

  /** The next frame; fails with a {@link SocketTimeoutException} when none comes within the read timeout. */
  public Frame readFrame() throws IOException {
    int length = in.readInt();
    if (length < 1) return new Frame(-1, new byte[0]);
    int channel = in.readUnsignedByte();
    byte[] body = in.readNBytes(length - 1);
    if (body.length != length - 1) throw new EOFException("frame cut short");
    return new Frame(channel, body);
  }

  /**
   * Reads until the peer closes the link or {@code timeout} passes; returns the REFUSE it sent on
   * the way, if any, and how the stream ended.
   */
  public Ending awaitEnd(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    ControlMessage.Refuse refusal = null;
    try {
      while (true) {
        int left = (int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
        socket.setSoTimeout(left);
        Frame frame = readFrame();
        if (frame.channel() == LinkManager.CONTROL && frame.body().length > 0) {
          try {
            if (decodeControl(frame.body()) instanceof ControlMessage.Refuse r) refusal = r;
          } catch (IOException e) {
            // not ours to judge: only a REFUSE matters here
          }
        }
      }
    } catch (SocketTimeoutException e) {
      return new Ending(refusal, "timeout");
    } catch (EOFException | SSLException e) {
      return new Ending(refusal, "closed");
    } catch (SocketException e) {
      return new Ending(refusal, "reset");
    }
  }

  /** A control message as the link's codec reads it. */
  public static ControlMessage decodeControl(byte[] body) throws IOException {
    try {
      return ControlCodec.decode(Unpooled.wrappedBuffer(body));
    } catch (LinkProtocolException e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
