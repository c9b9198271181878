package dev.resilience.sample.operator;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who the operator is ({@code sample.operator.*}): the user that HTTP Basic accepts for the
 * actuator's write operations and the chaos switch.
 *
 * @param user the operator's user name
 * @param password the operator's password; when unset, a random one is generated at each start and
 *     logged once at WARN, as Spring Boot does for its default user
 */
@ConfigurationProperties("sample.operator")
public record OperatorProperties(@DefaultValue("operator") String user, @Nullable String password) {

  /** Refuses a user name or password that is set but empty: nobody could sign in with it. */
  public OperatorProperties {
    if (user.isBlank()) {
      throw new IllegalArgumentException(
          "sample.operator.user is empty: set the operator's user name, or leave it out to get"
              + " 'operator'");
    }
    if (password != null && password.isBlank()) {
      throw new IllegalArgumentException(
          "sample.operator.password is set but empty: set the operator's password (e.g."
              + " SAMPLE_OPERATOR_PASSWORD), or leave it out to have one generated at start-up and"
              + " logged");
    }
  }

  /** Never shows the password: a record's own {@code toString} would. */
  @Override
  public String toString() {
    return "OperatorProperties[user="
        + user
        + ", password="
        + (password == null ? "unset" : "******")
        + "]";
  }
}
