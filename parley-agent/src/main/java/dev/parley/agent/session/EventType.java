package dev.parley.agent.session;

import java.util.Locale;

/** Kinds of rows in the events table (GET /v1/sessions/{id}/events). */
public enum EventType {
  CONVERSATION_START,
  LLM_REQUEST,
  TOOL_EXECUTION,
  GUARD_BLOCK,
  PHASE_CHANGE,
  SUMMARIZATION,
  TURN_COMPLETE,
  ERROR;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static EventType fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
