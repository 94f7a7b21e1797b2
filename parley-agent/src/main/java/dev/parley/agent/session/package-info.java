/** Sessions and what is stored of them: messages, turns, events, signals, and their HTTP JSON. */
@org.jspecify.annotations.NullMarked
package dev.parley.agent.session;
