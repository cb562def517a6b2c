package voidphone.gossip;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of {@code docs/ARCHITECTURE.md}, checked on the main classes: the protocol
 * core is sans-IO (it sees only the JDK's basics and the logging API), the API layer knows nothing
 * of links or the runtime, the module client library needs only the JDK, and only the CLI starts
 * the simulator.
 */
class ArchitectureTest {
  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() {
    main = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("voidphone.gossip");
  }

  @Test
  void theCoreDependsOnlyOnTheJdkAndLogging() {
    classes().that().resideInAPackage("voidphone.gossip.core..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("voidphone.gossip.core..", "java.lang..", "java.util..", "java.nio",
            "java.nio.charset..", "java.time..", "java.security..", "org.slf4j..")
        .check(main);
  }

  @Test
  void theCoreDoesNoIoAndReadsNoClock() {
    noClasses().that().resideInAPackage("voidphone.gossip.core..")
        .should().callMethod(System.class, "currentTimeMillis")
        .orShould().callMethod(System.class, "nanoTime")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.Thread")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Clock")
        .orShould().dependOnClassesThat().haveFullyQualifiedName("java.time.Instant")
        .orShould().dependOnClassesThat().resideInAnyPackage("java.io..", "java.net..", "java.nio.channels..",
            "java.nio.file..", "java.util.concurrent..")
        .check(main);
  }

  @Test
  void theApiKnowsNeitherTheRuntimeNorTheLinks() {
    noClasses().that().resideInAPackage("voidphone.gossip.api..")
        .should().dependOnClassesThat().resideInAnyPackage("voidphone.gossip.node..", "voidphone.gossip.link..")
        .check(main);
  }

  /** The client jar ships only this package: a module using it must need nothing else, Netty least of all. */
  @Test
  void theClientLibraryDependsOnlyOnTheJdk() {
    classes().that().resideInAPackage("voidphone.gossip.client..")
        .should().onlyDependOnClassesThat()
        .resideInAnyPackage("voidphone.gossip.client..", "java..")
        .check(main);
  }

  @Test
  void onlyTheCliUsesTheSimulator() {
    noClasses().that().resideOutsideOfPackages("voidphone.gossip.sim..", "voidphone.gossip.cli..")
        .should().dependOnClassesThat().resideInAPackage("voidphone.gossip.sim..")
        .check(main);
  }
}
