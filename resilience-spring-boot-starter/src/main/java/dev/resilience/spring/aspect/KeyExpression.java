package dev.resilience.spring.aspect;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.context.expression.MethodBasedEvaluationContext;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.expression.EvaluationException;
import org.springframework.expression.Expression;
import org.springframework.expression.ParseException;
import org.springframework.expression.spel.SpelCompilerMode;
import org.springframework.expression.spel.SpelNode;
import org.springframework.expression.spel.SpelParserConfiguration;
import org.springframework.expression.spel.ast.BeanReference;
import org.springframework.expression.spel.ast.FunctionReference;
import org.springframework.expression.spel.ast.VariableReference;
import org.springframework.expression.spel.standard.SpelExpression;
import org.springframework.expression.spel.standard.SpelExpressionParser;

/**
 * The key expression of one keyed {@code @Guarded} method ({@code @Guarded(key =
 * "#request.account")}): parsed and checked once, at start-up, then evaluated on every call against
 * the call's arguments, as {@code @Cacheable(key = ...)} is.
 *
 * <p>Besides parsing, start-up checks every {@code #variable} the expression reads against the
 * method's parameters: a misspelt {@code #reqest} would otherwise read null on every call and put
 * every caller under one key, {@code anonymous}, which is the very thing a key is there to avoid.
 */
final class KeyExpression {

  /** The key of a call whose expression gives null or a blank value. */
  static final String ANONYMOUS = "anonymous";

  private static final ParameterNameDiscoverer PARAMETER_NAMES =
      new DefaultParameterNameDiscoverer();

  private static final String EXAMPLE =
      "a parameter by name (#request.account, with the class compiled with -parameters) or by"
          + " position (#p0 or #a0)";

  private final String text;
  private final Expression expression;
  private final Method method;
  private final String where;

  private KeyExpression(String text, Expression expression, Method method, String where) {
    this.text = text;
    this.expression = expression;
    this.method = method;
    this.where = where;
  }

  /**
   * Parses {@code text} for {@code method} and checks the variables it reads.
   *
   * @param method the method whose parameters the expression reads (the bean class's own, whose
   *     parameter names are the ones its author wrote)
   * @param where the method as start-up errors name it
   * @throws InvalidGuardedDeclarationException if the expression is blank, does not parse, or reads
   *     something a call cannot give it
   */
  static KeyExpression parse(String text, Method method, String where) {
    if (text.isBlank()) {
      throw invalid(
          where,
          "key = \"" + text + "\" is blank",
          "Remove key for one bucket for all calls, or name the caller's key: " + EXAMPLE + ".");
    }
    // MIXED: interpreted at first, compiled to bytecode once the types it meets are known, and
    // interpreted again if they change. The class's own loader sees the parameter types.
    SpelExpressionParser parser =
        new SpelExpressionParser(
            new SpelParserConfiguration(
                SpelCompilerMode.MIXED, method.getDeclaringClass().getClassLoader()));
    SpelExpression expression;
    try {
      expression = (SpelExpression) parser.parseExpression(text);
    } catch (ParseException e) {
      throw invalid(
          where,
          "key expression '"
              + text
              + "' does not parse"
              + (e.getPosition() >= 0 ? " at character " + (e.getPosition() + 1) : "")
              + ": "
              + e.getSimpleMessage(),
          "Fix the expression: it is SpEL over the method's arguments, " + EXAMPLE + ".");
    }
    checkNames(expression.getAST(), text, method, where);
    return new KeyExpression(text, expression, method, where);
  }

  /** Returns the expression as written. */
  String text() {
    return text;
  }

  /**
   * Returns the key of a call with these arguments: the expression's value as a string, or {@value
   * #ANONYMOUS} when that is null or blank.
   *
   * @throws IllegalArgumentException if the expression fails on these arguments (a property read on
   *     a null argument, say), naming the method and the expression
   */
  String evaluate(@Nullable Object target, @Nullable Object[] args) {
    Object value;
    try {
      value =
          expression.getValue(
              new MethodBasedEvaluationContext(
                  new Root(method, args, target), method, args, PARAMETER_NAMES));
    } catch (EvaluationException e) {
      throw new IllegalArgumentException(
          "The key of @Guarded on "
              + where
              + ", '"
              + text
              + "', could not be evaluated for this call: "
              + e.getSimpleMessage()
              + " (write ?. to read through a null, e.g. #request?.account, which gives the key "
              + ANONYMOUS
              + ")",
          e);
    }
    if (value == null) {
      return ANONYMOUS;
    }
    String key = String.valueOf(value);
    return key.isBlank() ? ANONYMOUS : key;
  }

  /**
   * Rejects what would fail or read null on every call: a variable that is no parameter, a function
   * or a bean, none of which a key expression is given.
   */
  private static void checkNames(SpelNode root, String text, Method method, String where) {
    String[] names = PARAMETER_NAMES.getParameterNames(method);
    Set<String> known = new LinkedHashSet<>();
    if (names != null) {
      for (String name : names) {
        known.add("#" + name);
      }
    }
    for (int i = 0; i < method.getParameterCount(); i++) {
      known.add("#p" + i);
      known.add("#a" + i);
    }
    for (SpelNode node : nodes(root)) {
      if (node instanceof VariableReference) {
        String variable = node.toStringAST();
        if (!known.contains(variable) && !variable.equals("#root") && !variable.equals("#this")) {
          throw invalid(
              where,
              "key expression '" + text + "' reads " + variable + ", which is no parameter of it",
              parametersHint(names, method));
        }
      } else if (node instanceof FunctionReference || node instanceof BeanReference) {
        throw invalid(
            where,
            "key expression '"
                + text
                + "' calls "
                + node.toStringAST()
                + ", but key expressions have no functions or beans to call",
            "Compute the key from the method's arguments: " + EXAMPLE + ".");
      }
    }
  }

  private static String parametersHint(@Nullable String[] names, Method method) {
    int count = method.getParameterCount();
    if (count == 0) {
      return "The method has no parameters to key calls by: remove key, or add the parameter that"
          + " names the caller.";
    }
    List<String> ways = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ways.add(
          (names != null ? "#" + names[i] + " or " : "")
              + "#p"
              + i
              + " ("
              + method.getParameterTypes()[i].getSimpleName()
              + ")");
    }
    return "Use one of its parameters: "
        + String.join(", ", ways)
        + (names == null
            ? ". Its parameter names are not known: compile with -parameters to use them."
            : ".");
  }

  private static List<SpelNode> nodes(SpelNode root) {
    List<SpelNode> all = new ArrayList<>();
    List<SpelNode> pending = new ArrayList<>(List.of(root));
    while (!pending.isEmpty()) {
      SpelNode node = pending.remove(pending.size() - 1);
      all.add(node);
      for (int i = 0; i < node.getChildCount(); i++) {
        pending.add(node.getChild(i));
      }
    }
    return all;
  }

  private static InvalidGuardedDeclarationException invalid(
      String where, String problem, String fix) {
    return new InvalidGuardedDeclarationException(where, problem, fix);
  }

  /**
   * The expression's root object, {@code #root}: the call's arguments, method and target, as
   * {@code @Cacheable} offers them. Public getters, for SpEL to read.
   */
  static final class Root {

    private final Method method;
    private final @Nullable Object[] args;
    private final @Nullable Object target;

    Root(Method method, @Nullable Object[] args, @Nullable Object target) {
      this.method = method;
      this.args = args;
      this.target = target;
    }

    public Method getMethod() {
      return method;
    }

    public String getMethodName() {
      return method.getName();
    }

    public @Nullable Object[] getArgs() {
      return args;
    }

    public @Nullable Object getTarget() {
      return target;
    }
  }
}
