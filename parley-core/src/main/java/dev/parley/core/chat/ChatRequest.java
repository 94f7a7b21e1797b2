package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One model call.
 *
 * @param model provider model name
 * @param system system prompt (may be empty)
 * @param cachePrompt mark the system prompt and tools for provider prompt caching (Anthropic cache_control)
 */
public record ChatRequest(
    String model,
    String system,
    List<ChatMessage> messages,
    List<ToolSpec> tools,
    int maxTokens,
    double temperature,
    boolean cachePrompt) {

  public ChatRequest {
    requireNonNull(model, "model is null");
    requireNonNull(system, "system is null");
    messages = List.copyOf(requireNonNull(messages, "messages is null"));
    tools = List.copyOf(requireNonNull(tools, "tools is null"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("messages is empty");
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
    }
    if (temperature < 0 || temperature > 2) {
      throw new IllegalArgumentException("temperature must be in [0, 2], was " + temperature);
    }
  }

  public static ChatRequest of(String model, String system, List<ChatMessage> messages) {
    return new ChatRequest(model, system, messages, List.of(), 1024, 0.0, false);
  }
}
