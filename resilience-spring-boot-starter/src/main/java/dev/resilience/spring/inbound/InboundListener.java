package dev.resilience.spring.inbound;

/**
 * Told the outcome of each rule for each request it matched; the meters listen here, so that the
 * filter itself needs no Micrometer. Called on the request's thread: it must be quick.
 */
interface InboundListener {

  /** Listens to nothing. */
  InboundListener NONE = (rule, outcome) -> {};

  /**
   * One rule's outcome for one request.
   *
   * @param rule the rule's position in declaration order
   */
  void onRequest(int rule, Outcome outcome);

  /** What one rule did with one request; the {@code outcome} tag of the request counter. */
  enum Outcome {
    ADMITTED("admitted"),
    REJECTED("rejected"),
    BYPASSED("bypassed"),
    SHADOW_REJECTED("shadow_rejected"),
    /** Turned away by the rule's adaptive concurrency limit (503); only rules that have one. */
    REJECTED_CAPACITY("rejected_capacity");

    private final String tag;

    Outcome(String tag) {
      this.tag = tag;
    }

    String tag() {
      return tag;
    }
  }
}
