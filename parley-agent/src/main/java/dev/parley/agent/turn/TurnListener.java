package dev.parley.agent.turn;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Progress of a turn as it happens (SSE streaming). Called on the turn's thread; must not block long. */
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
