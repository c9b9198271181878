package dev.resilience.spring;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** One package per concern: each reads the core and the registry, none reaches into another. */
class StarterArchitectureTest {

  private static final JavaClasses STARTER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.resilience.spring");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.resilience.spring.(*)..").should().beFreeOfCycles().check(STARTER);
  }

  @Test
  void concernsDoNotDependOnEachOther() {
    String[] concerns = {"aspect", "actuate", "metrics", "web"};
    for (String concern : concerns) {
      for (String other : concerns) {
        if (!concern.equals(other)) {
          noClasses()
              .that()
              .resideInAPackage("dev.resilience.spring." + concern + "..")
              .should()
              .dependOnClassesThat()
              .resideInAPackage("dev.resilience.spring." + other + "..")
              .check(STARTER);
        }
      }
    }
  }
}
