package dev.parley.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Progress of a turn as it happens (SSE streaming). Every call is made on the thread that called
 * {@link TurnEngine#send}, never after it returned, and in causal order: a model reply's text, then its
 * tool calls in order, each followed by the phase change it caused, if any. Must not block long; a
 * listener that throws is told nothing more (the turn goes on and is stored).
 */
public interface TurnListener {
  TurnListener NONE = new TurnListener() {};

  /** A text delta from the model. */
  default void onText(String delta) {}

  /** A tool call was decided (executed, blocked or invalid); same JSON as the reply's tool_calls. */
  default void onToolCall(ObjectNode call) {}

  default void onPhaseChange(String from, String to) {}

  /** Whether the model should be called in streaming mode. */
  default boolean streaming() {
    return this != NONE;
  }
}
