package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import voidphone.gossip.config.HostPort;

class RunCommandOptionsTest {
  @Test
  void adminPeersAreRepeatableHostPorts() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("-c", "gossip.ini", "--admin-peer", "127.0.0.1:16201", "--admin-peer", "[::1]:16202");
    assertThat(run.adminPeers).containsExactly(new HostPort("127.0.0.1", 16201), new HostPort("::1", 16202));
  }

  @Test
  void noAdminPeersByDefault() {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("-c", "gossip.ini");
    assertThat(run.adminPeers).isEmpty();
  }
}
