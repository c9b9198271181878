package dev.resilience.sample.operator;

import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * HTTP Basic for the operator's writes, open everything else: the actuator's write operations
 * (forcing a breaker, unblocking a key) and the chaos switch {@code /sim/chaos} (every method) need
 * the operator's credentials; the actuator's reads, the trading API, the simulated exchange the
 * client calls, the live page and Spring Boot's error page stay open. Health details are shown to
 * the operator only ({@code management.endpoint.health.show-details: when-authorized}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OperatorProperties.class)
class OperatorSecurity {

  /** The operator's role; {@code management.endpoint.health.roles} names it too. */
  static final String ROLE = "OPERATOR";

  private static final Logger log = LoggerFactory.getLogger(OperatorSecurity.class);

  @Bean
  SecurityFilterChain operatorWrites(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    // an actuator read is open (health hides its details from anonymous callers);
                    // any other method on an endpoint is a write, whichever endpoint adds it
                    .requestMatchers(EndpointRequest.toAnyEndpoint().withHttpMethod(HttpMethod.GET))
                    .permitAll()
                    .requestMatchers(
                        EndpointRequest.toAnyEndpoint().withHttpMethod(HttpMethod.HEAD))
                    .permitAll()
                    .requestMatchers(EndpointRequest.toAnyEndpoint())
                    .hasRole(ROLE)
                    .requestMatchers("/sim/chaos/**") // the path itself included
                    .hasRole(ROLE)
                    .anyRequest()
                    .permitAll())
        .httpBasic(basic -> basic.authenticationEntryPoint(new OperatorEntryPoint()))
        // Every request carries its credentials: no session, no cookie, nothing to remember.
        .sessionManagement(
            session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // No CSRF token: the callers are curl and HTTP clients, which have none to send. What CSRF
        // guards against (a browser holding the operator's cached Basic credentials, sent to us by
        // another site's page) cannot reach a write here: every write is a PUT or DELETE, or a POST
        // with a JSON body (the actuator answers any other content type 415), and a browser sends
        // none of those cross-site without a CORS preflight, which this app never approves.
        .csrf(csrf -> csrf.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .build();
  }

  /**
   * The operator, with the password of {@code sample.operator.password} or, when it is unset, a
   * random one logged once at WARN.
   */
  @Bean
  UserDetailsService operator(OperatorProperties properties) {
    String password = properties.password();
    if (password == null) {
      password = UUID.randomUUID().toString();
      log.warn(
          "Using generated operator password: {} (user '{}'). It changes at every start: set"
              + " sample.operator.password (or SAMPLE_OPERATOR_PASSWORD) to choose one.",
          password,
          properties.user());
    }
    // {noop}: the password is held in plain text in the Environment anyway, so hashing it here
    // would protect nothing and cost every operator request a bcrypt round (as Boot's own default
    // user does, for the same reason).
    return new InMemoryUserDetailsManager(
        User.withUsername(properties.user()).password("{noop}" + password).roles(ROLE).build());
  }
}
