package dev.resilience.spring.aspect;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.spring.Guarded;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds and checks the {@code @Guarded} methods of beans, binds each to its guard in the registry,
 * and remembers the result for the aspect.
 *
 * <p>Every bean is scanned at start-up (so that breakers, buckets, metrics and actuator entries
 * exist before the first call, and a bad declaration stops start-up); the aspect resolves anything
 * it meets later the same way.
 */
public final class GuardedMethods {

  private final ResilienceRegistry registry;
  private final Function<String, FailureClassifier> classifiers;
  /**
   * By target class, then method: one method can be guarded differently on two beans (a method of a
   * base class inherited by two class-level {@code @Guarded} beans).
   */
  private final Map<Class<?>, Map<Method, Optional<GuardedMethod>>> cache = new ConcurrentHashMap<>();

  /**
   * Creates the resolver.
   *
   * @param registry where guards, breakers and buckets live
   * @param classifiers the failure classifier of each breaker name
   */
  public GuardedMethods(ResilienceRegistry registry, Function<String, FailureClassifier> classifiers) {
    this.registry = registry;
    this.classifiers = classifiers;
  }

  /** Returns the registry the guards are bound in. */
  public ResilienceRegistry registry() {
    return registry;
  }

  /**
   * Binds every {@code @Guarded} method of {@code beanClass}.
   *
   * @throws InvalidGuardedDeclarationException if a declaration cannot work
   */
  public void register(Class<?> beanClass) {
    Class<?> type = ClassUtils.getUserClass(beanClass);
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      find(method, type);
    }
  }

  /** Returns whether {@code beanClass} or one of its methods carries {@code @Guarded}. */
  public static boolean declaresGuarded(Class<?> beanClass) {
    Class<?> type = ClassUtils.getUserClass(beanClass);
    if (!AnnotationUtils.isCandidateClass(type, Guarded.class)) {
      return false;
    }
    if (AnnotatedElementUtils.hasAnnotation(type, Guarded.class)) {
      return true;
    }
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      if (AnnotatedElementUtils.hasAnnotation(method, Guarded.class)) {
        return true;
      }
    }
    return false;
  }

  /** Returns how {@code method}, called on a bean of {@code targetClass}, is guarded, or null. */
  @Nullable GuardedMethod find(Method method, Class<?> targetClass) {
    Map<Method, Optional<GuardedMethod>> methods = cache.get(targetClass);
    if (methods == null) {
      methods = cache.computeIfAbsent(targetClass, type -> new ConcurrentHashMap<>());
    }
    Optional<GuardedMethod> found = methods.get(method);
    if (found == null) {
      found = methods.computeIfAbsent(method, m -> Optional.ofNullable(resolve(m, targetClass)));
    }
    return found.orElse(null);
  }

  private @Nullable GuardedMethod resolve(Method method, Class<?> targetClass) {
    Class<?> userClass = ClassUtils.getUserClass(targetClass);
    Method specific = AopUtils.getMostSpecificMethod(method, userClass);
    if (Modifier.isStatic(specific.getModifiers()) || specific.getDeclaringClass() == Object.class) {
      return null;
    }
    Guarded guarded = AnnotatedElementUtils.findMergedAnnotation(specific, Guarded.class);
    if (guarded == null && Modifier.isPublic(specific.getModifiers())) {
      // the class that declares the method, as the aspect's @within matches: like @Transactional,
      // a class-level annotation does not reach methods inherited from an unannotated superclass
      guarded = AnnotatedElementUtils.getMergedAnnotation(specific.getDeclaringClass(), Guarded.class);
    }
    if (guarded == null) {
      return null;
    }
    String where = describe(specific);
    String breaker = guarded.breaker().isEmpty() ? guarded.endpoint() : guarded.breaker();
    Guard guard;
    try {
      guard = registry.guard(guarded.endpoint(), breaker, guarded.allowlist());
    } catch (InvalidConfigException e) {
      throw new InvalidGuardedDeclarationException(
          where,
          e.field() + " name " + e.value() + " is not valid",
          "Use 1 to 64 of the characters [A-Za-z0-9_.-] for @Guarded(" + e.field() + " = ...).");
    } catch (IllegalStateException e) {
      throw new InvalidGuardedDeclarationException(
          where, e.getMessage(), "Declare the endpoint with the same breaker and allowlist everywhere.");
    }
    Method fallback = null;
    Class<?> errorType = null;
    if (!guarded.fallback().isEmpty()) {
      fallback = findFallback(specific, userClass, guarded.fallback(), where);
      Class<?>[] params = fallback.getParameterTypes();
      if (params.length > specific.getParameterCount()) {
        errorType = params[params.length - 1];
      }
    }
    return new GuardedMethod(
        guard, classifiers.apply(breaker), GuardedMethod.isAsync(specific.getReturnType()), fallback, errorType);
  }

  private static Method findFallback(Method method, Class<?> type, String name, String where) {
    Class<?>[] params = method.getParameterTypes();
    Method plain = ReflectionUtils.findMethod(type, name, params);
    Method withError = null;
    for (Method candidate : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      Class<?>[] types = candidate.getParameterTypes();
      if (candidate.getName().equals(name)
          && types.length == params.length + 1
          && Arrays.equals(Arrays.copyOf(types, params.length), params)
          && Throwable.class.isAssignableFrom(types[params.length])) {
        withError = candidate;
      }
    }
    Method fallback = withError != null ? withError : plain;
    String signature = name + "(" + Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
    if (fallback == null) {
      throw new InvalidGuardedDeclarationException(
          where,
          "fallback method '" + signature + "' does not exist on " + type.getSimpleName(),
          "Add a method " + signature + " (optionally with one more Throwable parameter) to "
              + type.getSimpleName() + ", or fix fallback = \"" + name + "\".");
    }
    if (!ClassUtils.isAssignable(method.getReturnType(), fallback.getReturnType())) {
      throw new InvalidGuardedDeclarationException(
          where,
          "fallback method '" + describe(fallback) + "' returns " + fallback.getReturnType().getSimpleName()
              + " but the guarded method returns " + method.getReturnType().getSimpleName(),
          "Make " + fallback.getName() + " return " + method.getReturnType().getSimpleName() + ".");
    }
    ReflectionUtils.makeAccessible(fallback);
    return fallback;
  }

  private static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + "("
        + Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(", "))
        + ")";
  }
}
