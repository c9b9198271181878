/**
 * Buckets shared by every instance of an application, kept in Redis (SPEC section 11): the token
 * rule as a server-side script.
 */
@NullMarked
package dev.resilience.spring.redis;

import org.jspecify.annotations.NullMarked;
