package dev.parley.llm.chat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.Usage;
import java.util.List;

/**
 * Any OpenAI-compatible Chat Completions server through LangChain4j's OpenAI models. Tool results travel as
 * {@code role: tool} messages keyed by {@code tool_call_id}; the Chat Completions format has no is_error
 * flag, so an error result reaches the model as its content only. {@link ChatRequest#cachePrompt()} is
 * ignored (OpenAI caches prompt prefixes by itself); cached prompt tokens are reported as cache reads.
 */
public final class OpenAiCompatibleChatModel extends Lc4jChatModel {
  public static final String PROVIDER = "openai";
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  /** @param config its base URL includes {@code /v1}, as OpenAI's SDKs read {@code OPENAI_BASE_URL} */
  public OpenAiCompatibleChatModel(ProviderConfig config) {
    super(PROVIDER, config, blocking(config), streaming(config));
  }

  private static dev.langchain4j.model.openai.OpenAiChatModel blocking(ProviderConfig c) {
    return dev.langchain4j.model.openai.OpenAiChatModel.builder()
        .httpClientBuilder(new ProviderHttpClient.Builder())
        .baseUrl(c.baseUrl())
        .apiKey(c.apiKey())
        .modelName(c.defaultModel())
        .timeout(c.resilience().timeout())
        .maxRetries(0) // ResilientCaller owns retries
        .build();
  }

  private static OpenAiStreamingChatModel streaming(ProviderConfig c) {
    return OpenAiStreamingChatModel.builder()
        .httpClientBuilder(new ProviderHttpClient.Builder())
        .baseUrl(c.baseUrl())
        .apiKey(c.apiKey())
        .modelName(c.defaultModel())
        .timeout(c.resilience().timeout())
        .build();
  }

  @Override
  ChatRequestParameters parameters(ChatRequest request, String model, List<ToolSpecification> tools) {
    return OpenAiChatRequestParameters.builder()
        .modelName(model)
        .maxOutputTokens(request.maxTokens())
        .temperature(request.temperature())
        .toolSpecifications(tools)
        .build();
  }

  @Override
  Usage usage(TokenUsage usage) {
    long prompt = orZero(usage.inputTokenCount());
    long cached = 0;
    if (usage instanceof OpenAiTokenUsage o && o.inputTokensDetails() != null) {
      cached = Math.min(prompt, orZero(o.inputTokensDetails().cachedTokens()));
    }
    // OpenAI's prompt_tokens include the cached ones; ours count them apart, as Anthropic does.
    return new Usage(prompt - cached, orZero(usage.outputTokenCount()), cached, 0);
  }
}
