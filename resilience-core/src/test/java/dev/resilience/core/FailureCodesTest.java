package dev.resilience.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The codes the built-in classifiers give, which the starter accepts as weight keys without a
 * warning.
 */
class FailureCodesTest {

  @ParameterizedTest(name = "\"{0}\" built in: {1}")
  @CsvSource({
    "timeout, true",
    "network, true",
    "slow, true",
    "429, true",
    "500, true",
    "503, true",
    "599, true",
    "other, false",
    "tiemout, false",
    "Timeout, false",
    "404, false",
    "499, false",
    "600, false",
    "428, false",
    "50, false",
    "5000, false",
    "0503, false",
    "5a3, false",
    "'', false"
  })
  void onlyTheTimeoutNetworkSlowTooManyRequestsAndServerErrorCodesAreBuiltIn(
      String code, boolean builtIn) {
    assertThat(FailureCodes.isBuiltIn(code)).isEqualTo(builtIn);
  }
}
