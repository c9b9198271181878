/** Spring Boot auto-configuration for resilience (being built; see the starter issue). */
package dev.resilience.spring;
