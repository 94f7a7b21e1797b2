/** The orchestrator's SQL, one class per table, and the versioned stored forms of message content and agent state. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.persist;
