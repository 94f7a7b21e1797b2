/** Orchestrator metrics, the model price table and the decision gate over the stored sessions. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.metrics;
