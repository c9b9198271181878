package dev.resilience.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.ConfigurationPropertiesBindHandlerAdvisor;
import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.ClassUtils;

/**
 * Checks {@link ResilienceProperties} as soon as they are bound, before any bean reads them, and
 * stops start-up with every problem at once: values of the wrong type, unknown keys, values out of
 * range, unknown exception classes, weights for codes no breaker counts. A resilience setting that
 * is silently ignored is an outage waiting, so nothing under {@code resilience} may be ignored.
 *
 * <p>Spring Boot's binder stops at the first value it cannot convert. As a {@link
 * ConfigurationPropertiesBindHandlerAdvisor}, this class lets the binding of {@code resilience.*}
 * go on past such a value and keeps it for the report instead; every other binding is left as it
 * was. A post-processor rather than a check in the registry's factory method, so that an
 * application that defines its own registry still gets its properties checked.
 *
 * <p>The settings another concern owns (the inbound rules) are checked by that concern's {@link
 * ResiliencePropertiesCheck}, run here so that their problems join the same report.
 */
final class StrictResiliencePropertiesPostProcessor
    implements BeanPostProcessor,
        ConfigurationPropertiesBindHandlerAdvisor,
        EnvironmentAware,
        BeanClassLoaderAware,
        BeanFactoryAware {

  private static final ConfigurationPropertyName ROOT =
      ConfigurationPropertyName.of(ResilienceConfigs.PREFIX);

  private @Nullable Environment environment;
  private @Nullable ClassLoader classLoader;
  private @Nullable ListableBeanFactory beanFactory;

  /** Values the binder could not convert, kept from binding until the check that reports them. */
  private final List<Unconverted> unconverted = new ArrayList<>();

  private record Unconverted(
      ConfigurationPropertyName name, @Nullable ConfigurationProperty property, Class<?> type) {}

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void setBeanFactory(BeanFactory beanFactory) {
    this.beanFactory = (ListableBeanFactory) beanFactory;
  }

  @Override
  public BindHandler apply(BindHandler bindHandler) {
    return new AbstractBindHandler(bindHandler) {
      @Override
      public @Nullable Object onFailure(
          ConfigurationPropertyName name, Bindable<?> target, BindContext context, Exception error)
          throws Exception {
        boolean conversion =
            !(error instanceof UnboundConfigurationPropertiesException
                || error instanceof BindValidationException);
        if (conversion && ROOT.isAncestorOf(name)) {
          synchronized (unconverted) {
            unconverted.add(
                new Unconverted(
                    name, context.getConfigurationProperty(), target.getType().toClass()));
          }
          return null; // bind nothing here and go on; the check below stops start-up
        }
        return super.onFailure(name, target, context, error);
      }
    };
  }

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof ResilienceProperties properties) {
      Environment env = Objects.requireNonNull(environment, "environment");
      Problems problems = new Problems(env);
      synchronized (unconverted) {
        unconverted.forEach(value -> reportUnconverted(value, problems));
        unconverted.clear();
      }
      ResilienceKeys.checkNoUnknownKeys(env, problems);
      ClassLoader loader =
          classLoader != null
              ? classLoader
              : Objects.requireNonNull(ClassUtils.getDefaultClassLoader());
      ResilienceConfigs.check(properties, loader, problems);
      ListableBeanFactory beans = Objects.requireNonNull(beanFactory, "beanFactory");
      SpringFactoriesLoader.forDefaultResourceLocation(loader)
          .load(ResiliencePropertiesCheck.class)
          .forEach(check -> check.check(properties, beans, problems));
      problems.throwIfAny();
    }
    return bean;
  }

  private static void reportUnconverted(Unconverted value, Problems problems) {
    String expected = "must be " + describe(value.type());
    String fix = "set it to " + describe(value.type());
    String property = ResilienceKeys.written(value.name());
    if (value.property() != null) {
      problems.add(property, value.property(), expected, fix);
    } else {
      problems.add(property, "", expected, fix); // looks the written value up by name
    }
  }

  /** What a user must write for a value of this type, in their words rather than Java's. */
  private static String describe(Class<?> type) {
    Class<?> boxed = ClassUtils.resolvePrimitiveIfNecessary(type);
    if (boxed == Integer.class || boxed == Long.class) {
      return "a whole number";
    }
    if (boxed == Double.class) {
      return "a number";
    }
    if (boxed == Boolean.class) {
      return "true or false";
    }
    if (type == Duration.class) {
      return "a duration such as 500ms, 10s or 1m";
    }
    if (type.isEnum()) {
      return "one of "
          + Arrays.stream(type.getEnumConstants())
              .map(
                  constant ->
                      ((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'))
              .collect(Collectors.joining(", "));
    }
    if (type.getEnclosingClass() == ResilienceProperties.class) {
      List<String> keys = ResilienceKeys.keysOf(type);
      String shown = String.join(", ", keys.subList(0, Math.min(3, keys.size())));
      return "keys (" + shown + (keys.size() > 3 ? ", ..." : "") + "), not a single value";
    }
    return "a " + type.getSimpleName();
  }
}
