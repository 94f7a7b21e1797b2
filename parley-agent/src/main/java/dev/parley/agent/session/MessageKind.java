package dev.parley.agent.session;

import dev.parley.core.chat.ChatMessage;
import java.util.Locale;

/** Who wrote a stored message: the person, the orchestrator (tool results), or the model. */
public enum MessageKind {
  USER,
  TOOL_RESULT,
  ASSISTANT;

  public ChatMessage.Role role() {
    return switch (this) {
      case USER, TOOL_RESULT -> ChatMessage.Role.USER;
      case ASSISTANT -> ChatMessage.Role.ASSISTANT;
    };
  }

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static MessageKind fromWire(String text) {
    return valueOf(text.toUpperCase(Locale.ROOT));
  }
}
