package dev.resilience.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfiguration;

/**
 * One package per concern: each reads the core and the registry, none reaches into another. The
 * classification of failures is shared by name ({@code classify}) and knows no concern; the
 * registry's own configuration ({@code autoconfigure}) knows neither. The events log ({@code
 * events}) is written and read by concerns, and knows none of them.
 */
class StarterArchitectureTest {

  private static final String ROOT = "dev.resilience.spring.";
  private static final String[] CONCERNS = {
    "aspect", "actuate", "metrics", "web", "inbound", "dashboard"
  };

  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.resilience.spring");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.resilience.spring.(*)..").should().beFreeOfCycles().check(STARTER);
  }

  @Test
  void onlyReactorCallsUsesReactorInTheAspectSoApplicationsWithoutItNeverLoadIt() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "aspect..")
        .and()
        .haveNameNotMatching(".*\\.ReactorCalls(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("reactor..", "org.reactivestreams..")
        .check(STARTER);
  }

  @Test
  void concernsDoNotDependOnEachOther() {
    for (String concern : CONCERNS) {
      for (String other : CONCERNS) {
        if (!concern.equals(other)) {
          noClasses()
              .that()
              .resideInAPackage(ROOT + concern + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage(ROOT + other + "..")
              .check(STARTER);
        }
      }
    }
  }

  @Test
  void classificationDependsOnNoConcern() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "classify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages(CONCERNS))
        .check(STARTER);
  }

  @Test
  void theEventsLogDependsOnNoConcernAndNoBackend() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "events..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages(concat(CONCERNS, "classify", "redis")))
        .check(STARTER);
  }

  @Test
  void theRegistrysConfigurationDependsOnNoConcernAndNoClassification() {
    noClasses()
        .that()
        .resideInAPackage(ROOT + "autoconfigure..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(packages(concat(CONCERNS, "classify", "events")))
        .check(STARTER);
  }

  @Test
  void autoConfigurationsArePublicFinalAndOnePerPackage() {
    classes()
        .that()
        .areAnnotatedWith(AutoConfiguration.class)
        .should()
        .bePublic()
        .andShould()
        .haveModifier(JavaModifier.FINAL)
        .check(STARTER);
    for (String concern : CONCERNS) {
      org.assertj.core.api.Assertions.assertThat(
              STARTER.stream()
                  .filter(type -> type.getPackageName().equals(ROOT + concern))
                  .filter(type -> type.isAnnotatedWith(AutoConfiguration.class))
                  .count())
          .as("auto-configurations in %s", concern)
          .isEqualTo(1);
    }
  }

  private static String[] concat(String[] names, String... more) {
    String[] all = java.util.Arrays.copyOf(names, names.length + more.length);
    System.arraycopy(more, 0, all, names.length, more.length);
    return all;
  }

  private static String[] packages(String... names) {
    String[] packages = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      packages[i] = ROOT + names[i] + "..";
    }
    return packages;
  }
}
