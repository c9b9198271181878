package dev.resilience.spring.actuate;

import dev.resilience.spring.actuate.ResilienceEndpoint.ErrorDescriptor;
import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvoker;
import org.springframework.boot.actuate.endpoint.invoke.OperationInvokerAdvisor;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameter;
import org.springframework.boot.actuate.endpoint.invoke.OperationParameters;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * Refuses a write to the {@code resilience} endpoint that carries a field its operation does not
 * read, with a 400 naming the field and the fields allowed. Spring Boot hands an operation only the
 * fields it declares and drops the rest, so without this a misspelt field ({@code "limts"}) would
 * be ignored in silence and the operator would believe a change was made that was not.
 */
final class UnknownFieldsAdvisor implements OperationInvokerAdvisor {

  @Override
  public OperationInvoker apply(
      EndpointId endpointId,
      OperationType operationType,
      OperationParameters parameters,
      OperationInvoker invoker) {
    if (!endpointId.equals(EndpointId.of("resilience")) || operationType == OperationType.READ) {
      return invoker;
    }
    Set<String> known = new TreeSet<>();
    List<String> fields = new ArrayList<>();
    for (OperationParameter parameter : parameters) {
      known.add(parameter.getName());
      if (parameter.getAnnotation(Selector.class) == null
          && !Principal.class.isAssignableFrom(parameter.getType())) {
        fields.add(parameter.getName());
      }
    }
    return context -> {
      for (String sent : context.getArguments().keySet()) {
        if (!known.contains(sent)) {
          return new WebEndpointResponse<>(
              new ErrorDescriptor(
                  "Unknown field "
                      + ResilienceEndpoint.echo(sent)
                      + (fields.isEmpty()
                          ? ": this operation takes no fields"
                          : ": the fields allowed here are " + String.join(", ", fields)),
                  null),
              WebEndpointResponse.STATUS_BAD_REQUEST);
        }
      }
      return invoker.invoke(context);
    };
  }
}
