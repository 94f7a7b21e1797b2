package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** The model's reply: one assistant message with all its blocks, why it stopped, and token usage. */
public record ChatResponse(ChatMessage message, StopReason stopReason, Usage usage, String model) {
  public ChatResponse {
    requireNonNull(message, "message is null");
    requireNonNull(stopReason, "stopReason is null");
    requireNonNull(usage, "usage is null");
    requireNonNull(model, "model is null");
    if (message.role() != ChatMessage.Role.ASSISTANT) {
      throw new IllegalArgumentException("response message must be an ASSISTANT message, was " + message.role());
    }
  }

  public List<ContentBlock.ToolUse> toolUses() {
    return message.toolUses();
  }
}
