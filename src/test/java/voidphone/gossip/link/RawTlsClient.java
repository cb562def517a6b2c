package voidphone.gossip.link;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Instant;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import voidphone.gossip.core.PeerAddress;

/** A hand-driven TLS peer for tests that need to misbehave after (or during) the handshake. */
final class RawTlsClient implements AutoCloseable {
  final SSLSocket socket;
  final DataOutputStream out;
  final DataInputStream in;

  RawTlsClient(KeyPair keys, PeerAddress server) throws Exception {
    this(PeerCertificates.forHostkey(keys, Instant.now()), server);
  }

  /** A client presenting exactly these credentials, e.g. a link key with a forged hostkey binding. */
  RawTlsClient(PeerCertificates.LinkCredentials credentials, PeerAddress server) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("peer", credentials.linkKeys().getPrivate(), new char[0],
        new Certificate[] {credentials.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {new SelfSignedTrustManager()}, null);
    socket = (SSLSocket) ctx.getSocketFactory().createSocket(server.host(), server.port());
    socket.setSoTimeout(10_000);
    socket.startHandshake();
    out = new DataOutputStream(socket.getOutputStream());
    in = new DataInputStream(socket.getInputStream());
  }

  void sendHello(long powNonce) throws IOException {
    io.netty.buffer.ByteBuf body = io.netty.buffer.Unpooled.buffer();
    ControlCodec.encode(new ControlMessage.Hello(LinkSettings.PROTOCOL_VERSION, LinkSettings.PROTOCOL_VERSION, powNonce, new PeerAddress("127.0.0.1", 9)), body);
    byte[] bytes = new byte[body.readableBytes()];
    body.readBytes(bytes);
    sendFrame(0, bytes);
  }

  void sendAccept() throws IOException {
    sendFrame(0, new byte[] {ControlCodec.KIND_ACCEPT});
  }

  void sendFrame(int channel, byte[] body) throws IOException {
    out.writeInt(1 + body.length);
    out.writeByte(channel);
    out.write(body);
    out.flush();
  }

  /** Reads frames until one on {@code channel} whose body starts with {@code kind}; false if none came within the timeout. */
  boolean awaitFrame(int channel, int kind) throws IOException {
    try {
      while (true) {
        int len = in.readInt();
        byte[] frame = in.readNBytes(len);
        if (frame.length >= 2 && frame[0] == channel && frame[1] == kind) {
          return true;
        }
      }
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  /** Reads frames until the server closes the connection; returns true if it did within the timeout. */
  boolean closedByServer() throws IOException {
    try {
      while (true) {
        int len = in.readInt();
        in.readNBytes(len);
      }
    } catch (EOFException | javax.net.ssl.SSLException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      // connection reset also means the server dropped us
      return e.getMessage() != null && e.getMessage().toLowerCase().contains("reset");
    }
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
