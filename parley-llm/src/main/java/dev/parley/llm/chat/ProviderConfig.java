package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatRequest;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where and how to reach one provider.
 *
 * @param baseUrl as the provider's own SDKs read it: Anthropic the host root ({@code https://api.anthropic.com}),
 *     OpenAI-compatible servers including {@code /v1} ({@code https://api.openai.com/v1})
 * @param apiKey secret; never printed ({@link #toString()} masks it)
 * @param defaultModel used when a {@link ChatRequest} names no model
 */
public record ProviderConfig(String baseUrl, String apiKey, String defaultModel, ResilienceConfig resilience) {
  public ProviderConfig {
    requireNonNull(baseUrl, "baseUrl is null");
    requireNonNull(apiKey, "apiKey is null");
    requireNonNull(defaultModel, "defaultModel is null");
    requireNonNull(resilience, "resilience is null");
    if (apiKey.isBlank()) {
      throw new IllegalArgumentException("apiKey is blank");
    }
    if (defaultModel.isBlank()) {
      throw new IllegalArgumentException("defaultModel is blank");
    }
    try {
      URI uri = new URI(baseUrl);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https")) || uri.getHost() == null) {
        throw new IllegalArgumentException("baseUrl must be an http(s) URL with a host, was '" + baseUrl + "'");
      }
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("baseUrl is not a URL: '" + baseUrl + "' (" + e.getMessage() + ")", e);
    }
    baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  public ProviderConfig withResilience(ResilienceConfig value) {
    return new ProviderConfig(baseUrl, apiKey, defaultModel, value);
  }

  @Override
  public String toString() {
    return "ProviderConfig[baseUrl=" + baseUrl + ", apiKey=" + mask(apiKey) + ", defaultModel=" + defaultModel
        + ", resilience=" + resilience + "]";
  }

  /** First characters only, enough to tell two keys apart in a log, never enough to use. */
  static String mask(String key) {
    return key.length() <= 8 ? "****" : key.substring(0, 4) + "****";
  }
}
