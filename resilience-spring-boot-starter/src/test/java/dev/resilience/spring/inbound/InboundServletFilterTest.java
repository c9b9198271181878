package dev.resilience.spring.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resilience.spring.autoconfigure.ResilienceAutoConfiguration;
import jakarta.servlet.Filter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.mock.web.MockFilterConfig;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** What the servlet filter costs a request beyond what its rules decide. */
class InboundServletFilterTest {

  private final WebApplicationContextRunner servlet =
      new WebApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  ResilienceAutoConfiguration.class, InboundAutoConfiguration.class))
          .withPropertyValues(
              "resilience.inbound.rules.orders.paths=/orders/**",
              "resilience.inbound.rules.orders.key=header:X-Api-Key",
              "resilience.inbound.rules.orders.limits[0].quota=5",
              "resilience.inbound.rules.orders.limits[0].window=1s");

  /**
   * The filter marks each request it runs on, so that a forward of the same request is not limited
   * twice. The mark's name is read on every request: one string made at start-up, not one per
   * request, as the inherited name (the filter's name plus a suffix, joined per call) would be.
   */
  @Test
  void whenTwoRequestsPassThenBothAreMarkedWithTheSameNameInstance() {
    servlet.run(
        context -> {
          FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
          Filter filter = registration.getFilter();
          filter.init(new MockFilterConfig(registration.getFilterName()));
          List<String> marks = new ArrayList<>();
          for (String path : List.of("/orders/1", "/products/1")) {
            MockHttpServletRequest request = new MockHttpServletRequest("GET", path);
            filter.doFilter(
                request,
                new MockHttpServletResponse(),
                (req, res) -> marks.addAll(Collections.list(req.getAttributeNames())));
            assertThat(Collections.list(request.getAttributeNames())).isEmpty();
          }

          assertThat(marks)
              .containsExactly(
                  "resilienceInboundFilter.FILTERED", "resilienceInboundFilter.FILTERED");
          assertThat(marks.get(1)).isSameAs(marks.get(0));
        });
  }
}
