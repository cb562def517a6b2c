package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import voidphone.gossip.identity.KeyFixtures;
import voidphone.gossip.core.NodeId;
import voidphone.gossip.identity.PowFile;
import voidphone.gossip.identity.PowStamp;
import voidphone.gossip.identity.ProofOfWork;

class NodeSetupTest {
  @TempDir Path dir;
  private Path ini;

  @BeforeEach
  void setUp() throws Exception {
    Files.copy(KeyFixtures.path("pkcs1.pem"), dir.resolve("hostkey.pem"));
    ini = dir.resolve("gossip.ini");
  }

  private void config(String hostkey) throws Exception {
    Files.writeString(ini, """
        hostkey = %s
        [gossip]
        p2p_address = 127.0.0.1:0
        api_address = 127.0.0.1:0
        pow_difficulty = 6
        """.formatted(hostkey));
  }

  @Test
  void hostkeyComesWithItsStoredProofOfWork() throws Exception {
    config("hostkey.pem");
    PowStamp stored = PowFile.ensure(dir.resolve("hostkey.pem"), NodeId.fromHex(KeyFixtures.PKCS1_ID), 6);

    NodeSetup.Prepared prepared = NodeSetup.prepare(ini);

    assertThat(prepared.hostkey().id().hex()).isEqualTo(KeyFixtures.PKCS1_ID);
    assertThat(prepared.hostkey().pow()).isEqualTo(stored);
    assertThat(ProofOfWork.verify(prepared.hostkey().id(), prepared.hostkey().pow().nonce(), 6)).isTrue();
  }

  @Test
  void missingProofOfWorkIsLeftForTheNodeToSolveWithoutDelayingSetup() throws Exception {
    config("hostkey.pem");

    NodeSetup.Prepared prepared = NodeSetup.prepare(ini);

    assertThat(prepared.hostkey().pow()).isEqualTo(PowStamp.NONE);
    assertThat(PowFile.pathFor(dir.resolve("hostkey.pem"))).doesNotExist();
  }

  @Test
  void garbledHostkeyIsAConfigErrorNamingConfigKeyAndKeyFile() throws Exception {
    Files.writeString(dir.resolve("bad.pem"), "nothing\n");
    config("bad.pem");

    assertThatThrownBy(() -> NodeSetup.prepare(ini))
        .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(2))
        .hasMessage(ini + ": hostkey: " + dir.resolve("bad.pem")
            + ": holds no private key (expected -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)");
  }

  @Test
  void configErrorIsPassedOnWithExitStatus2() throws Exception {
    Files.writeString(ini, "[gossip]\n");

    assertThatThrownBy(() -> NodeSetup.prepare(ini))
        .isInstanceOfSatisfying(CliFailure.class, f -> assertThat(f.exitCode()).isEqualTo(2))
        .hasMessageStartingWith(ini + ": ");
  }
}
