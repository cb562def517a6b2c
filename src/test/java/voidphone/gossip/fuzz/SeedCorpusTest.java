package voidphone.gossip.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The seed corpus in the repository is the one {@link SeedCorpus} makes from the encoders. */
class SeedCorpusTest {

  @Test
  void everySeedHasAFileOfItsOwn() {
    assertThat(SeedCorpus.seeds()).extracting(SeedCorpus.Seed::path).doesNotHaveDuplicates();
  }

  @Test
  void theCommittedSeedsAreWhatTheEncodersMakeNow() throws IOException {
    for (SeedCorpus.Seed seed : SeedCorpus.seeds()) {
      String stale = seed.path() + " is missing or stale: regenerate with ./bench fuzz --write-seeds";
      try (InputStream in = SeedCorpusTest.class.getResourceAsStream(seed.directory() + "/" + seed.name())) {
        assertThat(in).as(stale).isNotNull();
        assertThat(in.readAllBytes()).as(stale).isEqualTo(seed.bytes());
      }
    }
  }
}
