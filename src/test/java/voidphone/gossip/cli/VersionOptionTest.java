package voidphone.gossip.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code gossip --version} and the {@code -V} of the commands that have one print the Maven project version. */
class VersionOptionTest {
  /** The project's own version, the first {@code <version>} after the artifactId in pom.xml. */
  private static String projectVersion() throws Exception {
    Matcher m = Pattern.compile("<artifactId>[^<]+</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertThat(m.find()).as("pom.xml has a project version").isTrue();
    return m.group(1);
  }

  @ParameterizedTest(name = "gossip {0}")
  @ValueSource(strings = {"--version", "-V", "sim -V", "sim --version"})
  void versionOptionPrintsTheProjectVersionOnOneLine(String args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int status = Main.execute(new PrintWriter(out), new PrintWriter(err), args.split(" "));

    assertThat(status).isZero();
    assertThat(out.toString()).isEqualTo("gossip " + projectVersion() + "\n");
    assertThat(err.toString()).isEmpty();
  }
}
