/** Orchestrator metrics and the model price table. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.metrics;
