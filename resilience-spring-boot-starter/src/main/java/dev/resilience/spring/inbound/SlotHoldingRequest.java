package dev.resilience.spring.inbound;

import org.jspecify.annotations.Nullable;

/**
 * A transport's request that holds the adaptive limits' slots it takes in a {@link Slots} made at
 * the first: a request that takes none (most, and all where no rule has an adaptive limit)
 * allocates nothing for them.
 */
abstract class SlotHoldingRequest implements InboundRequest {

  private final int gates;
  private @Nullable Slots slots;

  SlotHoldingRequest(int gates) {
    this.gates = gates;
  }

  @Override
  public final Slots slots() {
    Slots held = slots;
    if (held == null) {
      held = new Slots(gates);
      slots = held;
    }
    return held;
  }

  /** The slots the request holds, or null when it never took one. */
  final @Nullable Slots heldSlots() {
    return slots;
  }
}
