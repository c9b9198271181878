package dev.resilience.spring.inbound;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;

/**
 * {@link InboundApplication} under WebFlux, on Tomcat: every path answers 200. Spring Boot's
 * WebFlux auto-configuration does not resolve here (its Netty), so the application builds its
 * {@link HttpHandler} itself, as that auto-configuration would: from the context's web handler and
 * filters.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableWebFlux
public class ReactiveInboundApplication {

  @Bean
  TierResolver tiers() {
    return (rule, key) -> key.startsWith("pro-") ? "pro" : null;
  }

  @Bean
  RouterFunction<ServerResponse> echo() {
    return RouterFunctions.route(
        RequestPredicates.all(),
        request ->
            request
                .principal()
                .map(principal -> "ok " + principal.getName())
                .defaultIfEmpty("ok")
                .flatMap(body -> ServerResponse.ok().bodyValue(body)));
  }

  @Bean
  HttpHandler httpHandler(ApplicationContext context) {
    return WebHttpHandlerBuilder.applicationContext(context).build();
  }
}
