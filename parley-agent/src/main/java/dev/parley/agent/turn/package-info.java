/** The turn loop: sessions, the turn engine and every transaction a turn makes. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.turn;
