package dev.resilience.spring;

import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Spring Security as an application sets it up for the HTTP tests that need a principal: HTTP
 * Basic, every request permitted, users {@code alice} and {@code bob} (password {@code pw}). It is
 * registered as Spring Boot's own security auto-configuration registers it (order {@code
 * spring.security.filter.order}, -100): that auto-configuration is left off the test class path,
 * where it would secure every other test application.
 */
@EnableWebSecurity
public class BasicAuthSecurity {

  /** The password of every user. */
  public static final String PASSWORD = "pw";

  @Bean
  SecurityFilterChain chain(HttpSecurity http) {
    return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .httpBasic(Customizer.withDefaults())
        .csrf(csrf -> csrf.disable())
        .build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}" + PASSWORD).roles("USER").build(),
        User.withUsername("bob").password("{noop}" + PASSWORD).roles("USER").build());
  }

  @Bean
  DelegatingFilterProxyRegistrationBean securityFilterChainRegistration() {
    DelegatingFilterProxyRegistrationBean registration =
        new DelegatingFilterProxyRegistrationBean("springSecurityFilterChain");
    registration.setOrder(-100);
    return registration;
  }
}
