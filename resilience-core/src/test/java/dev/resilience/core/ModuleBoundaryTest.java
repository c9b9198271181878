package dev.resilience.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ModuleBoundaryTest {

  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.resilience.core");

  @Test
  void coreDependsOnlyOnTheJdkAndNullnessAnnotations() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "org.jspecify.annotations..", "dev.resilience.core..")
        .check(CORE);
  }

  @Test
  void implementationsArePackagePrivate() {
    noClasses()
        .that()
        .haveSimpleNameStartingWith("TimeWindow")
        .or()
        .haveSimpleName("TokenBucket")
        .or()
        .haveSimpleName("SlidingWindow")
        .or()
        .haveSimpleName("FailureCodeTable")
        .or()
        .haveSimpleName("Sleeper")
        .or()
        .haveSimpleName("LockFreeAdaptiveLimit")
        .should()
        .haveModifier(JavaModifier.PUBLIC)
        .check(CORE);
  }
}
