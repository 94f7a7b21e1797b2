package dev.parley.core.chat;

/**
 * The port every chat provider implements. Implementations never execute tools themselves: they return
 * tool_use blocks and the caller runs its own loop.
 */
public interface ChatModel {
  /** Provider name for metrics and events, e.g. {@code anthropic}, {@code openai}. */
  String provider();

  /** The model a {@link ChatRequest} with a blank model name goes to; empty where there is none. */
  default String defaultModel() {
    return "";
  }

  /** Blocking call. Throws {@link LlmException} on provider failure after retries. */
  ChatResponse chat(ChatRequest request);

  /**
   * Streaming call: text deltas go to {@code listener} as they arrive; the complete response is returned
   * at the end (same shape as {@link #chat}).
   */
  ChatResponse stream(ChatRequest request, StreamListener listener);

  @FunctionalInterface
  interface StreamListener {
    void onText(String delta);
  }
}
