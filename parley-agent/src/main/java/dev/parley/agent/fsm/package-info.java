/** The phase state machine of an agent and the lifecycles of sessions and turns. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.fsm;
