/** HTTP answers to rejected calls in Spring MVC applications. */
@NullMarked
package dev.resilience.spring.web;

import org.jspecify.annotations.NullMarked;
