/** Simulated conversations against the real orchestrator, and the report of what they measured. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.sim;
