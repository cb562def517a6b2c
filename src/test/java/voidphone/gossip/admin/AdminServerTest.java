package voidphone.gossip.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import voidphone.gossip.link.Transport;

class AdminServerTest {
  private EventLoopGroup group;
  private AdminServer admin;
  private URI base;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Transport transport = Transport.best();
    group = transport.newGroup(1);
    Map<String, Number> counters = new LinkedHashMap<>();
    counters.put("items_delivered", 3);
    NodeStatus status = new NodeStatus("ab12", "127.0.0.1:6001", "127.0.0.1:7001",
        List.of(new NodeStatus.PeerEntry("cd34", "127.0.0.1:6002")), List.of(), counters);
    admin = new AdminServer(() -> status, () -> "# HELP x\nx 1.0\n");
    InetSocketAddress bound = admin.bind(group.next(), transport.serverChannel(), new InetSocketAddress("127.0.0.1", 0));
    base = URI.create("http://127.0.0.1:" + bound.getPort());
  }

  @AfterEach
  void stop() {
    admin.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void closeEndsKeepAliveConnectionsToo() throws Exception {
    try (Socket client = new Socket(base.getHost(), base.getPort())) {
      client.setSoTimeout(5_000);
      client.getOutputStream().write(
          "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = client.getInputStream();
      StringBuilder response = new StringBuilder();
      for (int c; !response.toString().endsWith("x 1.0\n") && (c = in.read()) >= 0; ) response.append((char) c);
      assertThat(response.toString()).as("a keep-alive response").contains("HTTP/1.1 200").endsWith("x 1.0\n");

      assertThat(admin.close().awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();

      assertThat(in.read()).as("end of stream").isEqualTo(-1);
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void statusServesTheNodeAsJson() throws Exception {
    HttpResponse<String> r = get("/status");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    assertThat(r.body().trim()).isEqualTo(
        "{\"identity\":\"ab12\",\"p2p_address\":\"127.0.0.1:6001\",\"api_address\":\"127.0.0.1:7001\","
            + "\"active\":[{\"identity\":\"cd34\",\"address\":\"127.0.0.1:6002\"}],\"passive\":[],"
            + "\"counters\":{\"items_delivered\":3},\"version\":\"dev\",\"uptime_seconds\":0,"
            + "\"pow\":{\"own_bits\":0,\"required_bits\":0,\"ready\":true},\"bootstrappers\":[],"
            + "\"subscribers\":{},\"queues\":{}}");
  }

  @Test
  void metricsServesPrometheusText() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
    assertThat(r.body()).contains("x 1.0");
  }

  @Test
  void unknownPathIsNotFound() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
  }

  @Test
  void jsonStringsAreEscaped() {
    assertThat(NodeStatus.quote("a\"b\\c\n")).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
  }
}
