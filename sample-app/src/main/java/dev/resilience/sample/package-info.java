/** The sample trading app (being built; see the sample-app issue). */
package dev.resilience.sample;
