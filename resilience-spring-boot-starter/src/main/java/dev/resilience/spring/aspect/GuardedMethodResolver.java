package dev.resilience.spring.aspect;

import dev.resilience.core.FailureClassifier;
import dev.resilience.core.Guard;
import dev.resilience.core.InvalidConfigException;
import dev.resilience.core.ResilienceRegistry;
import dev.resilience.core.Retry;
import dev.resilience.spring.Guarded;
import dev.resilience.spring.autoconfigure.ReservedNames;
import dev.resilience.spring.autoconfigure.ResilienceProperties;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@code @Guarded} methods of beans, checks that a proxy can honour each declaration,
 * binds each to its guard in the registry, and caches the result for the interceptor.
 *
 * <p>Which annotation applies to a method is decided in one place, {@code declaration(Method)},
 * read both by start-up discovery and by the advisor's pointcut: what start-up lists is exactly
 * what the proxies guard. Every bean is scanned at start-up, so that breakers, buckets, metrics and
 * actuator entries exist before the first call and a declaration that cannot work stops start-up; a
 * bean created later (a lazy one) is resolved the same way on its first call.
 */
public final class GuardedMethodResolver {

  private static final Log log = LogFactory.getLog(GuardedMethodResolver.class);

  private static final String LAZY =
      "it is lazy: nothing runs until it is subscribed to or collected, so the outcome recorded when the method"
          + " returns would not be the call's (a failure would count as a success)";
  private static final String SUPPORTED =
      "Guard methods that return a plain value or void (guarded synchronously), a CompletionStage or"
          + " CompletableFuture (guarded asynchronously: the outcome is recorded when the stage completes),"
          + " or a Reactor Mono or Flux (guarded on each subscription: the outcome is recorded on its terminal"
          + " signal). Return one of these types, or remove @Guarded from this method.";
  private static final String MONO = "reactor.core.publisher.Mono";
  private static final String FLUX = "reactor.core.publisher.Flux";

  private final ResilienceRegistry registry;
  private final Function<String, FailureClassifier> classifiers;
  private final ResilienceProperties.Timeout timeouts;
  private final Function<String, @Nullable Retry> retries;

  /** Endpoints with a method a timeout applies to (CompletionStage, Mono, Flux). */
  private final Set<String> timeable = ConcurrentHashMap.newKeySet();

  /** Endpoints already warned about: a bulkhead wait their asynchronous calls do not take. */
  private final Set<String> warnedNoSlotWait = ConcurrentHashMap.newKeySet();

  /**
   * By target class, then method: one method can be guarded differently on two beans (a method of a
   * base class inherited by two class-level {@code @Guarded} beans).
   */
  private final Map<Class<?>, Map<Method, Optional<MethodGuard>>> cache = new ConcurrentHashMap<>();

  /** The first declaration of each endpoint, so that a conflict names both sides. */
  private final Map<String, Declaration> declarations = new ConcurrentHashMap<>();

  /**
   * Creates the resolver.
   *
   * @param registry where guards, breakers and buckets live
   * @param classifiers the failure classifier of each breaker name
   */
  public GuardedMethodResolver(
      ResilienceRegistry registry, Function<String, FailureClassifier> classifiers) {
    this(registry, classifiers, new ResilienceProperties.Timeout(), endpoint -> null);
  }

  /**
   * Creates the resolver.
   *
   * @param registry where guards, breakers and buckets live
   * @param classifiers the failure classifier of each breaker name
   * @param timeouts the timeouts of CompletionStage and Reactor calls per endpoint
   * @param retries the retries of each endpoint, or null where a call is tried once
   */
  public GuardedMethodResolver(
      ResilienceRegistry registry,
      Function<String, FailureClassifier> classifiers,
      ResilienceProperties.Timeout timeouts,
      Function<String, @Nullable Retry> retries) {
    this.registry = registry;
    this.classifiers = classifiers;
    this.timeouts = timeouts;
    this.retries = retries;
  }

  /**
   * Fails start-up when an endpoint override sets a timeout for an endpoint whose methods are all
   * synchronous: a synchronous call is never interrupted, so the setting could never act, and an
   * operator who wrote it believes the endpoint is protected.
   *
   * @throws InvalidGuardedDeclarationException naming the endpoint, its property and a method
   */
  void checkTimeouts() {
    timeouts
        .getEndpointOverrides()
        .forEach(
            (endpoint, override) -> {
              Declaration first = declarations.get(endpoint);
              if (first == null
                  || timeable.contains(endpoint)
                  || timeouts.durationOf(endpoint) == null) {
                return; // names no endpoint (warned about elsewhere), or acts, or sets none
              }
              throw new InvalidGuardedDeclarationException(
                  first.where().substring("@Guarded on ".length()),
                  "resilience.timeout.endpoint-overrides."
                      + endpoint
                      + ".duration sets a timeout for endpoint '"
                      + endpoint
                      + "', but its methods are all synchronous, and a synchronous call is never"
                      + " interrupted",
                  "Remove the timeout and set the HTTP client's own connect and read timeouts for"
                      + " this endpoint, or return a CompletionStage, Mono or Flux from its methods.");
            });
  }

  /**
   * Which {@code @Guarded} applies to {@code specific}, the most specific method of a bean class:
   * the method's own annotation, found also on the methods it overrides or implements (an interface
   * method included); else, for a public instance method, the annotation on the class that declares
   * it. Like {@code @Transactional}, a class-level annotation does not reach methods inherited from
   * an unannotated superclass.
   *
   * @return the annotation, or null when the method is not guarded
   */
  static @Nullable Guarded declaration(Method specific) {
    if (specific.getDeclaringClass() == Object.class) {
      return null;
    }
    Guarded own = AnnotatedElementUtils.findMergedAnnotation(specific, Guarded.class);
    int modifiers = specific.getModifiers();
    if (own != null || !Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers)) {
      return own;
    }
    return AnnotatedElementUtils.getMergedAnnotation(specific.getDeclaringClass(), Guarded.class);
  }

  /** The method a call of {@code method} on a bean of {@code targetClass} runs. */
  static Method mostSpecific(Method method, Class<?> targetClass) {
    return AopUtils.getMostSpecificMethod(method, ClassUtils.getUserClass(targetClass));
  }

  /** Returns whether {@code beanClass} has anything for {@code register} to bind or reject. */
  static boolean declaresGuarded(Class<?> beanClass) {
    Class<?> type = ClassUtils.getUserClass(beanClass);
    if (!AnnotationUtils.isCandidateClass(type, Guarded.class)) {
      return false;
    }
    for (Class<?> contract : interfaces(type)) {
      if (AnnotatedElementUtils.isAnnotated(contract, Guarded.class)) {
        return true;
      }
    }
    for (Method method :
        ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      if (declaration(method) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Binds every {@code @Guarded} method of {@code beanClass}.
   *
   * @throws InvalidGuardedDeclarationException if a declaration cannot work
   * @throws ConflictingEndpointDeclarationException if an endpoint is declared twice differently
   */
  void register(Class<?> beanClass) {
    Class<?> type = ClassUtils.getUserClass(beanClass);
    for (Class<?> contract : interfaces(type)) {
      if (AnnotatedElementUtils.isAnnotated(contract, Guarded.class)) {
        throw new InvalidGuardedDeclarationException(
            contract.getSimpleName(),
            "a class-level @Guarded on an interface is never applied ("
                + type.getSimpleName()
                + " implements it)",
            "Move it to the implementing class, or onto the interface's methods one by one.");
      }
    }
    for (Method method :
        ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      find(method, type);
    }
  }

  /** Returns how {@code method}, called on a bean of {@code targetClass}, is guarded, or null. */
  @Nullable MethodGuard find(Method method, Class<?> targetClass) {
    Map<Method, Optional<MethodGuard>> methods = cache.get(targetClass);
    if (methods == null) {
      methods = cache.computeIfAbsent(targetClass, type -> new ConcurrentHashMap<>());
    }
    Optional<MethodGuard> found = methods.get(method);
    if (found == null) {
      found = methods.computeIfAbsent(method, m -> Optional.ofNullable(resolve(m, targetClass)));
    }
    return found.orElse(null);
  }

  private @Nullable MethodGuard resolve(Method method, Class<?> targetClass) {
    Method specific = mostSpecific(method, targetClass);
    Guarded guarded = declaration(specific);
    if (guarded == null) {
      return null;
    }
    String where = describe(specific);
    checkReachable(specific, where);
    MethodGuard.Shape shape = checkReturnType(specific, where);
    String breaker = guarded.breaker().isEmpty() ? guarded.endpoint() : guarded.breaker();
    checkNotReserved(guarded.endpoint(), "endpoint", where);
    checkNotReserved(breaker, "breaker", where);
    // parsed before binding, so that a bad expression leaves no guard behind
    KeyExpression key =
        guarded.key().isEmpty() ? null : KeyExpression.parse(guarded.key(), specific, where);
    Guard guard =
        bind(
            guarded.endpoint(),
            new Declaration(
                "@Guarded on " + where,
                breaker,
                guarded.allowlist(),
                key == null ? null : key.text()),
            where);
    Method fallback = null;
    Class<?> errorType = null;
    if (!guarded.fallback().isEmpty()) {
      fallback =
          findFallback(specific, ClassUtils.getUserClass(targetClass), guarded.fallback(), where);
      Class<?>[] params = fallback.getParameterTypes();
      if (params.length > specific.getParameterCount()) {
        errorType = params[params.length - 1];
      }
    }
    if (shape != MethodGuard.Shape.PLAIN
        && guard.bulkhead() != null
        && !guard.bulkhead().config().maxWait().isZero()
        && warnedNoSlotWait.add(guarded.endpoint())) {
      log.warn(
          "Endpoint '"
              + guarded.endpoint()
              + "' has a bulkhead max-wait of "
              + guard.bulkhead().config().maxWait().toMillis()
              + " ms, but its asynchronous calls ("
              + where
              + ", returning a CompletionStage, Mono or Flux) never wait for a slot, since waiting"
              + " would block a thread: they are rejected at once"
              + " when the bulkhead is full. Set resilience.bulkhead.endpoint-overrides."
              + guarded.endpoint()
              + ".max-wait=0s to say so, or retry on BulkheadFullException.");
    }
    Duration timeout = null;
    if (shape != MethodGuard.Shape.PLAIN) {
      timeable.add(guarded.endpoint());
      timeout = timeouts.durationOf(guarded.endpoint());
    }
    Retry retry = retries.apply(guarded.endpoint());
    return new MethodGuard(
        guard, classifiers.apply(breaker), shape, fallback, errorType, key, timeout, retry);
  }

  /** Fails for a name the actuator endpoint keeps for its own paths. */
  private static void checkNotReserved(String name, String kind, String where) {
    if (ReservedNames.isReserved(name)) {
      throw new InvalidGuardedDeclarationException(
          where,
          "the "
              + kind
              + " name '"
              + name
              + "' is reserved: "
              + ReservedNames.NAMES
              + " are paths of the resilience actuator endpoint",
          "Give the " + kind + " another name.");
    }
  }

  /** A proxy runs only the public, non-final instance methods it overrides or implements. */
  private static void checkReachable(Method specific, String where) {
    int modifiers = specific.getModifiers();
    if (Modifier.isPrivate(modifiers)) {
      throw new InvalidGuardedDeclarationException(
          where,
          "private methods are not reachable by Spring proxies, so it would never be guarded",
          "Make it public and non-final, or move the annotation to a public method that calls it.");
    }
    if (Modifier.isStatic(modifiers)) {
      throw new InvalidGuardedDeclarationException(
          where,
          "static methods are not called through Spring proxies, so it would never be guarded",
          "Make it an instance method, or remove the annotation.");
    }
    if (Modifier.isFinal(modifiers)) {
      // reachable through a JDK proxy's interface, but one property (spring.aop.proxy-target-class)
      // must not decide whether a declaration works
      if (AnnotatedElementUtils.hasAnnotation(specific, Guarded.class)) {
        throw new InvalidGuardedDeclarationException(
            where,
            "final methods are not reachable by class-based (CGLIB) proxies, Spring Boot's default, so it would never be"
                + " guarded",
            "Make it non-final, or move the annotation to a method that is not final.");
      }
      throw new InvalidGuardedDeclarationException(
          where,
          "the class-level @Guarded covers this public final method, and final methods are not reachable by class-based"
              + " (CGLIB) proxies, Spring Boot's default",
          "Make it non-final, or annotate the methods to guard one by one instead of the class.");
    }
  }

  /**
   * Returns how the method is guarded; fails for a return type whose outcome is not known when the
   * method returns and that is not a plain {@code CompletionStage}, {@code Mono} or {@code Flux}.
   * Reactor types are recognised by name: a method returning one proves Reactor is there, and
   * nothing Reactor-related is loaded for an application without it.
   */
  private static MethodGuard.Shape checkReturnType(Method specific, String where) {
    Class<?> type = specific.getReturnType();
    if (type == CompletionStage.class || type == CompletableFuture.class) {
      return MethodGuard.Shape.STAGE;
    }
    if (type.getName().equals(MONO)) {
      return MethodGuard.Shape.MONO;
    }
    if (type.getName().equals(FLUX)) {
      return MethodGuard.Shape.FLUX;
    }
    String why = unsupported(type);
    if (why != null) {
      throw new InvalidGuardedDeclarationException(
          where, "return type " + type.getName() + " is not supported: " + why, SUPPORTED);
    }
    return MethodGuard.Shape.PLAIN;
  }

  /**
   * Why {@code type} cannot be guarded as a plain value, or null. Reactor need not be on the class
   * path.
   */
  private static @Nullable String unsupported(Class<?> type) {
    if (isA(type, MONO) || isA(type, FLUX)) {
      return "only Mono and Flux themselves are guarded reactively: a rejection or a fallback is a plain Mono or"
          + " Flux, which a "
          + type.getSimpleName()
          + " cannot hold";
    }
    if (isA(type, "org.reactivestreams.Publisher")
        || Flow.Publisher.class.isAssignableFrom(type)
        || isA(type, "kotlinx.coroutines.flow.Flow")) {
      return LAZY;
    }
    if (CompletionStage.class.isAssignableFrom(type)) {
      return "only CompletionStage and CompletableFuture themselves are guarded asynchronously: a rejection or a fallback"
          + " is a plain CompletableFuture, which a "
          + type.getSimpleName()
          + " cannot hold";
    }
    if (Future.class.isAssignableFrom(type)) {
      return "a Future that is not a CompletionStage tells nobody when it completes, so its outcome could not be recorded";
    }
    return null;
  }

  private Guard bind(String endpoint, Declaration mine, String where) {
    Declaration first = declarations.get(endpoint);
    if (first != null && !first.sameGuard(mine)) {
      throw new ConflictingEndpointDeclarationException(
          endpoint, first.toString(), mine.toString());
    }
    Guard guard;
    try {
      guard =
          mine.keyed()
              ? registry.keyedGuard(endpoint, mine.breaker(), mine.allowlisted())
              : registry.guard(endpoint, mine.breaker(), mine.allowlisted());
    } catch (InvalidConfigException e) {
      throw new InvalidGuardedDeclarationException(
          where,
          e.field() + " name " + e.value() + " is not valid",
          "Use 1 to 64 of the characters [A-Za-z0-9_.-] for @Guarded(" + e.field() + " = ...).");
    } catch (IllegalStateException e) {
      // bound differently before, not by a @Guarded method: by the application's own code, or
      // the name is an inbound rule's (rules and keyed endpoints share one namespace)
      Guard bound = registry.guards().get(endpoint);
      if (bound == null && registry.findKeyedRateLimiter(endpoint) != null) {
        throw new InvalidGuardedDeclarationException(
            where,
            "endpoint '"
                + endpoint
                + "' has a bucket per key, and limits per key named '"
                + endpoint
                + "' exist already (an inbound rule's)",
            "Inbound rules and keyed endpoints share one namespace, so that an operator can name"
                + " either in /actuator/resilience/keys/{name}/{key}: rename the endpoint or the"
                + " rule.");
      }
      String other =
          bound == null
              ? "another binding"
              : new Declaration(
                      bound.keyed()
                          ? "ResilienceRegistry.keyedGuard(...) in code"
                          : "ResilienceRegistry.guard(...) in code",
                      bound.breaker().name(),
                      bound.allowlisted(),
                      bound.keyed() ? "" : null)
                  .toString();
      throw new ConflictingEndpointDeclarationException(endpoint, other, mine.toString());
    }
    declarations.putIfAbsent(endpoint, mine);
    return guard;
  }

  private static Method findFallback(Method method, Class<?> type, String name, String where) {
    Class<?>[] params = method.getParameterTypes();
    Method plain = ReflectionUtils.findMethod(type, name, params);
    Method withError = null;
    for (Method candidate :
        ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      Class<?>[] types = candidate.getParameterTypes();
      if (candidate.getName().equals(name)
          && types.length == params.length + 1
          && Arrays.equals(Arrays.copyOf(types, params.length), params)
          && Throwable.class.isAssignableFrom(types[params.length])) {
        withError = candidate;
      }
    }
    Method fallback = withError != null ? withError : plain;
    String signature =
        name
            + "("
            + Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", "))
            + ")";
    if (fallback == null) {
      throw new InvalidGuardedDeclarationException(
          where,
          "fallback method '" + signature + "' does not exist on " + type.getSimpleName(),
          "Add a method "
              + signature
              + " (optionally with one more Throwable parameter) to "
              + type.getSimpleName()
              + ", or fix fallback = \""
              + name
              + "\".");
    }
    if (!ClassUtils.isAssignable(method.getReturnType(), fallback.getReturnType())) {
      throw new InvalidGuardedDeclarationException(
          where,
          "fallback method '"
              + describe(fallback)
              + "' returns "
              + fallback.getReturnType().getSimpleName()
              + " but the guarded method returns "
              + method.getReturnType().getSimpleName(),
          "Make " + fallback.getName() + " return " + method.getReturnType().getSimpleName() + ".");
    }
    ReflectionUtils.makeAccessible(fallback);
    return fallback;
  }

  /** Whether {@code type} is, extends or implements the type named {@code name}, loaded or not. */
  private static boolean isA(Class<?> type, String name) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      if (c.getName().equals(name)) {
        return true;
      }
    }
    for (Class<?> contract : interfaces(type)) {
      if (contract.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every interface {@code type} implements, directly or through its superclasses and
   * superinterfaces.
   */
  private static Set<Class<?>> interfaces(Class<?> type) {
    Set<Class<?>> all = new LinkedHashSet<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      collect(c.getInterfaces(), all);
    }
    return all;
  }

  private static void collect(Class<?>[] contracts, Set<Class<?>> all) {
    for (Class<?> contract : contracts) {
      if (all.add(contract)) {
        collect(contract.getInterfaces(), all);
      }
    }
  }

  private static String describe(Method method) {
    return method.getDeclaringClass().getSimpleName()
        + "."
        + method.getName()
        + "("
        + Arrays.stream(method.getParameterTypes())
            .map(Class::getSimpleName)
            .collect(Collectors.joining(", "))
        + ")";
  }

  /**
   * One declaration of an endpoint: where, and the guard it asks for.
   *
   * @param key the key expression, "" for a keyed guard whose expression is not known, null for one
   *     bucket for all calls. Two keyed declarations may key differently: each method reads its own
   *     parameters, and the keys land in the endpoint's one set of buckets per key.
   */
  private record Declaration(
      String where, String breaker, boolean allowlisted, @Nullable String key) {

    boolean keyed() {
      return key != null;
    }

    boolean sameGuard(Declaration other) {
      return breaker.equals(other.breaker)
          && allowlisted == other.allowlisted
          && keyed() == other.keyed();
    }

    @Override
    public String toString() {
      String bucket =
          key == null
              ? ""
              : key.isEmpty() ? " (a bucket per key)" : " (a bucket per key: " + key + ")";
      return where
          + " with breaker '"
          + breaker
          + "'"
          + (allowlisted ? " (allowlisted)" : "")
          + bucket;
    }
  }
}
