/** Test fixtures of parley-agent: an embedded store, a fake provider and a harness wiring them to the orchestrator. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.testing;
