package voidphone.gossip.link;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import javax.net.ssl.SSLException;

/**
 * The TLS 1.3 contexts of one node: both sides present their link certificate, bound to their
 * hostkey (mutual auth; see {@link PeerCertificates}).
 */
final class PeerTls {
  private static final String TLS_13 = "TLSv1.3";
  /**
   * BoringSSL (netty-tcnative) where it loads, else the JDK's engine; both speak the same TLS 1.3.
   * Why: on the 50-node loopback benchmark the JDK's SSLEngine, encrypting and decrypting small
   * frames, took two thirds of the event loops' time (docs/BENCHMARKS.md, Network).
   */
  static final SslProvider PROVIDER =
      OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;

  /** The engine's name for the startup log line: operators see which TLS they run. */
  static String engineName() {
    return PROVIDER == SslProvider.OPENSSL ? "TLS " + OpenSsl.versionString() : "TLS JDK";
  }

  final SslContext server;
  final SslContext client;

  PeerTls(KeyPair hostkey, Instant now) throws SSLException {
    PeerCertificates.LinkCredentials credentials = PeerCertificates.forHostkey(hostkey, now);
    PrivateKey key = credentials.linkKeys().getPrivate();
    X509Certificate cert = credentials.certificate();
    server =
        SslContextBuilder.forServer(key, cert)
            .sslProvider(PROVIDER)
            .protocols(TLS_13)
            .clientAuth(ClientAuth.REQUIRE)
            .trustManager(new SelfSignedTrustManager())
            .build();
    client =
        SslContextBuilder.forClient()
            .sslProvider(PROVIDER)
            .protocols(TLS_13)
            .keyManager(key, cert)
            .trustManager(new SelfSignedTrustManager())
            // Peers are named by key, not by host name: there is no name to verify.
            .endpointIdentificationAlgorithm(null)
            .build();
  }
}
