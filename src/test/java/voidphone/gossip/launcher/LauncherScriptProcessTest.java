package voidphone.gossip.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./gossip}, run as a newcomer runs it, in a copy of the repository whose Maven
 * wrapper is a stand-in that "builds" a tiny jar at once (a real first build downloads Maven and the
 * dependencies). What is checked is the launcher's own job: it says on stderr what a first build and
 * a rebuild do before the long silence, builds only when the jar is missing or older than the
 * sources, and then runs the jar with the arguments.
 */
class LauncherScriptProcessTest {
  @TempDir Path repo;

  private record Run(int exit, String stdout, String stderr) {}

  @BeforeEach
  void copyOfTheRepository() throws IOException {
    Files.copy(Path.of("gossip"), repo.resolve("gossip"));
    Files.createDirectories(repo.resolve("scripts"));
    Files.copy(Path.of("scripts/java-env.sh"), repo.resolve("scripts/java-env.sh"));
    Files.writeString(repo.resolve("pom.xml"), "<project/>\n");
    Files.createDirectories(repo.resolve("src/main/java"));
    Files.writeString(repo.resolve("src/main/java/Some.java"), "class Some {}\n");
    Path stubJar = repo.resolve("stub.jar");
    writeStubJar(stubJar);
    Path mvnw = repo.resolve("mvnw");
    Files.writeString(mvnw, "#!/bin/sh\nmkdir -p target && cp stub.jar target/gossip.jar\n");
    Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static void writeStubJar(Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherStubMain.class.getName());
    String entry = LauncherStubMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream bytes = LauncherStubMain.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      bytes.transferTo(out);
      out.closeEntry();
    }
  }

  private Run gossip(String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 2];
    command[0] = "bash";
    command[1] = repo.resolve("gossip").toString();
    System.arraycopy(args, 0, command, 2, args.length);
    ProcessBuilder builder = new ProcessBuilder(command).directory(repo.toFile());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path err = repo.resolve("stderr.txt");
    Process p = builder.redirectError(err.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out, Files.readString(err));
  }

  @Test
  void theFirstRunSaysItBuildsWithTheMavenWrapperThenRunsTheJar() throws Exception {
    Run run = gossip("--version");

    assertThat(run.stderr()).contains("first run: building").contains("downloads Maven and the")
        .contains("about a minute");
    assertThat(run.stdout()).isEqualTo("stub ran with --version\n");
    assertThat(run.exit()).isZero();
  }

  @Test
  void aJarNewerThanTheSourcesIsRunWithoutBuildingOrSayingAnything() throws Exception {
    gossip("--version");

    Run again = gossip("sim", "--help");

    assertThat(again.stderr()).doesNotContain("gossip:");
    assertThat(again.stdout()).isEqualTo("stub ran with sim --help\n");
  }

  @Test
  void aSourceChangedSinceTheBuildIsRebuiltAndSaysSo() throws Exception {
    gossip("--version");
    Path source = repo.resolve("src/main/java/Some.java");
    Files.setLastModifiedTime(source, FileTime.from(Instant.now().plusSeconds(5)));

    Run again = gossip("--version");

    assertThat(again.stderr()).contains("sources changed since").contains("rebuilding it");
    assertThat(again.stdout()).isEqualTo("stub ran with --version\n");
  }
}
