package voidphone.gossip.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import voidphone.gossip.bench.LoopbackTraffic.Socket;

class LoopbackTrafficTest {
  private static final Socket A = new Socket("127.0.0.1:4711", "127.0.0.1:50000");
  private static final Socket B = new Socket("[::ffff:127.0.0.1]:50001", "[::ffff:127.0.0.1]:4712");
  private static final Socket C = new Socket("127.0.0.1:50002", "127.0.0.1:4713");

  @Test
  void ssOutputGivesEachSocketWithItsAckedBytesWithOrWithoutTheStateColumn() {
    String withState = """
        State  Recv-Q Send-Q      Local Address:Port        Peer Address:Port Process
        ESTAB  0      0      127.0.0.1:4711 127.0.0.1:50000
        \t cubic wscale:7,7 rto:204 bytes_sent:1535 bytes_retrans:76 bytes_acked:1459 bytes_received:1461 segs_out:34
        UNCONN 0      24     [::ffff:127.0.0.1]:50001 [::ffff:127.0.0.1]:4712
        \t wscale:10,10 rto:204 rtt:0.008/0.004 mss:48640 bytes_received:3834 segs_out:9
        SYN-SENT 0 1 127.0.0.1:50002 127.0.0.1:4713
        """;
    String oneState = "0      0      127.0.0.1:4711 127.0.0.1:50000 users:((\"java\",pid=1,fd=2))\n"
        + "\t bbr bytes_acked:99 bytes_received:1\n";

    assertThat(LoopbackTraffic.parse(withState)).containsExactlyInAnyOrderEntriesOf(Map.of(A, 1459L, B, 0L, C, 0L));
    assertThat(LoopbackTraffic.parse(oneState)).containsExactlyEntriesOf(Map.of(A, 99L));
    assertThat(B.localPort()).isEqualTo(50001);
    assertThat(B.peerPort()).isEqualTo(4712);
    assertThat(new Socket("*:*", "*:*").localPort()).isEqualTo(-1);
  }

  @Test
  void aWindowCountsWhatOpenSocketsSentSinceItsStartAndWhatClosedOnesSentBeforeClosing() {
    Map<Socket, Long> start = Map.of(A, 1_000L, B, 500L);
    Map<Socket, Long> end = Map.of(A, 1_600L, C, 70L); // C opened within the window
    Map<Socket, Long> closed = Map.of(B, 800L);       // B closed within it

    assertThat(LoopbackTraffic.windowBytes(start, end, closed)).isEqualTo(600 + 70 + 300);
    assertThat(LoopbackTraffic.windowBytes(Map.of(), Map.of(), Map.of(C, 40L))).isEqualTo(40); // opened and closed within
    assertThat(LoopbackTraffic.windowBytes(start, start, Map.of())).isZero();
  }
}
