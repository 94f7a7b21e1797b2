package dev.parley.llm.chat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.anthropic.AnthropicChatRequestParameters;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.output.TokenUsage;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.Usage;
import java.util.List;

/**
 * The Anthropic Messages API through LangChain4j's Anthropic models. With {@link ChatRequest#cachePrompt()}
 * the system prompt and the tools are marked with {@code cache_control} (ephemeral) and the reply's
 * {@code cache_read_input_tokens} / {@code cache_creation_input_tokens} land in {@link Usage}.
 */
public final class AnthropicChatModel extends Lc4jChatModel {
  public static final String PROVIDER = "anthropic";
  public static final String DEFAULT_BASE_URL = "https://api.anthropic.com";

  /** @param config its base URL is the host root, as Anthropic's SDKs read {@code ANTHROPIC_BASE_URL} */
  public AnthropicChatModel(ProviderConfig config) {
    super(PROVIDER, config, blocking(config), streaming(config));
  }

  /** LangChain4j wants the versioned API root; Anthropic's SDKs take the host root and add {@code /v1}. */
  static String apiRoot(String hostRoot) {
    String root = hostRoot.endsWith("/") ? hostRoot.substring(0, hostRoot.length() - 1) : hostRoot;
    // A root that already names /v1 is taken as meant, rather than calling /v1/v1/messages.
    return root.endsWith("/v1") ? root + "/" : root + "/v1/";
  }

  private static dev.langchain4j.model.anthropic.AnthropicChatModel blocking(ProviderConfig c) {
    return dev.langchain4j.model.anthropic.AnthropicChatModel.builder()
        .httpClientBuilder(new ProviderHttpClient.Builder())
        .baseUrl(apiRoot(c.baseUrl()))
        .apiKey(c.apiKey())
        .modelName(c.defaultModel())
        .timeout(c.resilience().timeout())
        .maxRetries(0) // ResilientCaller owns retries
        .build();
  }

  private static AnthropicStreamingChatModel streaming(ProviderConfig c) {
    return AnthropicStreamingChatModel.builder()
        .httpClientBuilder(new ProviderHttpClient.Builder())
        .baseUrl(apiRoot(c.baseUrl()))
        .apiKey(c.apiKey())
        .modelName(c.defaultModel())
        .timeout(c.resilience().timeout())
        .build();
  }

  @Override
  ChatRequestParameters parameters(ChatRequest request, String model, List<ToolSpecification> tools) {
    return AnthropicChatRequestParameters.builder()
        .modelName(model)
        .maxOutputTokens(request.maxTokens())
        .temperature(request.temperature())
        .toolSpecifications(tools)
        .cacheSystemMessages(request.cachePrompt())
        .cacheTools(request.cachePrompt())
        .build();
  }

  @Override
  Usage usage(TokenUsage usage) {
    long cacheRead = 0;
    long cacheWrite = 0;
    if (usage instanceof AnthropicTokenUsage a) {
      cacheRead = orZero(a.cacheReadInputTokens());
      cacheWrite = orZero(a.cacheCreationInputTokens());
    }
    // Anthropic's input_tokens already excludes cached tokens.
    return new Usage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()), cacheRead, cacheWrite);
  }
}
