package dev.resilience.core;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * What the tests read from JDK modules that the core's module does not read (java.management,
 * java.logging). Javac compiles the tests inside the core's module, where those packages are not
 * visible, while reflection assumes readability; so these few calls go through reflection instead
 * of making the core's module read modules it never uses.
 */
final class JdkProbes {

  private JdkProbes() {}

  /** Returns the CPU time the current thread has used, if the JVM measures it. */
  static OptionalLong currentThreadCpuNanos() throws ReflectiveOperationException {
    Object threads =
        Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean")
            .invoke(null);
    Class<?> bean = Class.forName("java.lang.management.ThreadMXBean");
    if (!(boolean) bean.getMethod("isCurrentThreadCpuTimeSupported").invoke(threads)
        || !(boolean) bean.getMethod("isThreadCpuTimeEnabled").invoke(threads)) {
      return OptionalLong.empty();
    }
    return OptionalLong.of((long) bean.getMethod("getCurrentThreadCpuTime").invoke(threads));
  }

  /** Something to run while the log is captured. */
  @FunctionalInterface
  interface Action {
    void run() throws Exception;
  }

  /**
   * Runs {@code action} and returns what the JDK logger {@code loggerName} logged meanwhile at
   * {@code WARNING} or above, one message per line, each followed by its exception's stack trace. A
   * {@link System.Logger} logs there when no other logging backend is installed, as in these tests.
   */
  static String warningsLoggedBy(String loggerName, Action action) throws Exception {
    Class<?> loggerClass = Class.forName("java.util.logging.Logger");
    Class<?> handlerClass = Class.forName("java.util.logging.Handler");
    Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
    Class<?> levelClass = Class.forName("java.util.logging.Level");
    Object logger = loggerClass.getMethod("getLogger", String.class).invoke(null, loggerName);
    Object formatter = messageAndStackTrace(formatterClass);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Object handler =
        Class.forName("java.util.logging.StreamHandler")
            .getConstructor(OutputStream.class, formatterClass)
            .newInstance(bytes, formatter);
    handlerClass
        .getMethod("setLevel", levelClass)
        .invoke(handler, levelClass.getField("WARNING").get(null));
    boolean parents = (boolean) loggerClass.getMethod("getUseParentHandlers").invoke(logger);
    loggerClass
        .getMethod("setUseParentHandlers", boolean.class)
        .invoke(logger, false); // keep the build log quiet
    loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
    try {
      action.run();
    } finally {
      loggerClass.getMethod("removeHandler", handlerClass).invoke(logger, handler);
      loggerClass.getMethod("setUseParentHandlers", boolean.class).invoke(logger, parents);
      handlerClass.getMethod("flush").invoke(handler);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  /**
   * A SimpleFormatter that writes the message and the stack trace only; it reads its format when
   * made.
   */
  private static Object messageAndStackTrace(Class<?> formatterClass)
      throws ReflectiveOperationException {
    String property = "java.util.logging.SimpleFormatter.format";
    String before = System.getProperty(property);
    System.setProperty(property, "%5$s%6$s%n"); // the stack trace starts on a new line
    try {
      return formatterClass.cast(
          Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance());
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }
}
