/** The agent orchestrator's entry points: the wiring of its parts ({@link dev.parley.agent.Orchestrator}) and the errors a request can fail with. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent;
