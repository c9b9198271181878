package dev.resilience.spring.inbound;

import org.jspecify.annotations.Nullable;

/**
 * Names the tier of a client, for inbound rules with {@code tiers}: a key in tier {@code pro} is
 * held to the rule's {@code tiers.pro} limits instead of its default ones.
 *
 * <pre>{@code
 * @Bean
 * TierResolver tiers(Accounts accounts) {
 *   return (rule, key) -> accounts.isPro(key) ? "pro" : null;
 * }
 * }</pre>
 *
 * <p>It is asked on every request the rule limits, so it should answer from memory. A key whose
 * tier changes starts with full buckets in its new tier. A rule with tiers and no bean of this type
 * stops start-up.
 */
@FunctionalInterface
public interface TierResolver {

  /**
   * Returns the tier of {@code key} under {@code rule}.
   *
   * @param rule the rule's name
   * @param key the client's key, as the rule's {@code key} setting found it
   * @return a tier the rule defines; null, or a tier it does not define, for its default limits
   */
  @Nullable String tier(String rule, String key);
}
