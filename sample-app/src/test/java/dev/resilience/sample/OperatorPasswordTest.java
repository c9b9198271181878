package dev.resilience.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Where the operator's password comes from: generated and logged once when {@code
 * sample.operator.password} is unset, and refused at start-up when it is set but empty.
 */
@ExtendWith(OutputCaptureExtension.class)
class OperatorPasswordTest {

  private static final Pattern GENERATED =
      Pattern.compile(
          "WARN .* Using generated operator password: (\\S+) \\(user 'operator'\\)\\. It changes at"
              + " every start: set sample.operator.password \\(or SAMPLE_OPERATOR_PASSWORD\\) to"
              + " choose one\\.");

  private static SpringApplicationBuilder sample() {
    return new SpringApplicationBuilder(SampleApplication.class).bannerMode(Banner.Mode.OFF);
  }

  @Test
  void whenNoPasswordIsSetThenOneIsGeneratedLoggedOnceAndLetsTheOperatorIn(CapturedOutput output) {
    try (ConfigurableApplicationContext context = sample().run("--server.port=0")) {
      Matcher logged = GENERATED.matcher(output.getOut());
      assertThat(logged.find()).as("the generated password is logged:%n%s", output).isTrue();
      String password = logged.group(1);
      assertThat(logged.find()).as("logged once").isFalse();
      assertThat(password).doesNotContain("{").hasSizeGreaterThanOrEqualTo(32);

      SampleHttp http =
          new SampleHttp(
              context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
      assertThat(http.withBasic("operator", password).send("DELETE", "/sim/chaos", null).status())
          .isEqualTo(200);
      assertThat(http.asOperator().send("DELETE", "/sim/chaos", null).status())
          .as("the tests' password is not this instance's")
          .isEqualTo(401);
    }
  }

  @Test
  void whenThePasswordIsSetThenNothingIsGeneratedOrLogged(CapturedOutput output) {
    try (ConfigurableApplicationContext context =
        sample().run("--server.port=0", "--" + SampleHttp.OPERATOR_PASSWORD_PROPERTY)) {
      assertThat(output.getOut())
          .doesNotContain("generated")
          .doesNotContain(SampleHttp.OPERATOR_PASSWORD);
    }
  }

  @Test
  void whenThePasswordIsSetButEmptyThenTheAppDoesNotStartAndSaysWhichPropertyToFix(
      CapturedOutput output) {
    assertThatThrownBy(() -> sample().run("--server.port=0", "--sample.operator.password="))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sample.operator.password is set but empty: set the operator's password (e.g."
                + " SAMPLE_OPERATOR_PASSWORD), or leave it out to have one generated at start-up"
                + " and logged");
    assertThat(output)
        .contains("APPLICATION FAILED TO START")
        .contains("Failed to bind properties under 'sample.operator'")
        .contains("sample.operator.password is set but empty");
  }

  @Test
  void whenTheUserIsSetButEmptyThenTheAppDoesNotStartAndSaysWhichPropertyToFix() {
    assertThatThrownBy(() -> sample().run("--server.port=0", "--sample.operator.user= "))
        .rootCause()
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "sample.operator.user is empty: set the operator's user name, or leave it out to get"
                + " 'operator'");
  }
}
