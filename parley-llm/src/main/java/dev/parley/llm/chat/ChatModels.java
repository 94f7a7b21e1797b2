package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.LlmException;
import dev.parley.core.error.BadInputException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ChatModel} from a provider name and the environment, as {@code --llm} asks:
 * <ul>
 *   <li>{@code anthropic}: {@code ANTHROPIC_API_KEY} (required), {@code ANTHROPIC_BASE_URL} (the host root,
 *       default {@value AnthropicChatModel#DEFAULT_BASE_URL}), model from the argument, else
 *       {@code ANTHROPIC_MODEL}, else {@value #DEFAULT_ANTHROPIC_MODEL};</li>
 *   <li>{@code openai}: {@code OPENAI_API_KEY} (required), {@code OPENAI_BASE_URL} (including {@code /v1},
 *       default {@value OpenAiCompatibleChatModel#DEFAULT_BASE_URL}), model from the argument, else
 *       {@code OPENAI_MODEL}, else {@value #DEFAULT_OPENAI_MODEL};</li>
 *   <li>{@code none}: a model that fails every call with a message saying none is configured.</li>
 * </ul>
 * The provider may carry the model as {@code anthropic:MODEL}. Timeouts and attempts come from
 * {@link ResilienceConfig#fromEnv} ({@code PARLEY_LLM_TIMEOUT_SECONDS}, {@code PARLEY_LLM_MAX_ATTEMPTS}).
 */
public final class ChatModels {
  public static final String DEFAULT_ANTHROPIC_MODEL = "claude-sonnet-4-5";
  public static final String DEFAULT_OPENAI_MODEL = "gpt-4o-mini";

  private ChatModels() {}

  /** Reads the process environment. */
  public static ChatModel fromEnv(String provider, String modelName) {
    return fromSpec(provider, modelName, System.getenv());
  }

  /** Reads the process environment; the model comes from the provider spec or the environment. */
  public static ChatModel fromEnv(String provider) {
    return fromSpec(provider, System.getenv());
  }

  /** {@link #fromSpec(String, String, Map, ResilienceConfig)} with the resilience settings of {@code env}. */
  public static ChatModel fromSpec(String provider, String modelName, Map<String, String> env) {
    requireNonNull(env, "env is null");
    return fromSpec(provider, modelName, env, ResilienceConfig.fromEnv(env));
  }

  /** {@link #fromSpec(String, Map, ResilienceConfig)} with the resilience settings of {@code env}. */
  public static ChatModel fromSpec(String provider, Map<String, String> env) {
    requireNonNull(env, "env is null");
    return fromSpec(provider, "", env, ResilienceConfig.fromEnv(env));
  }

  /** The model from the provider spec ({@code anthropic:MODEL}), else from the environment, else the default. */
  public static ChatModel fromSpec(String provider, Map<String, String> env, ResilienceConfig resilience) {
    return fromSpec(provider, "", env, resilience);
  }

  /**
   * Builds the chat model {@code provider} names, configured from {@code env}.
   *
   * @param modelName the model; when blank, the model from the provider spec or the environment (code that
   *     is not null-checked yet may still pass null for blank; null-checked code calls the overloads without it)
   * @throws BadInputException on an unknown provider or a missing API key (the message names the variable)
   */
  public static ChatModel fromSpec(String provider, String modelName, Map<String, String> env, ResilienceConfig resilience) {
    requireNonNull(provider, "provider is null");
    requireNonNull(env, "env is null");
    requireNonNull(resilience, "resilience is null");
    String spec = provider.trim();
    int colon = spec.indexOf(':');
    String name = colon >= 0 ? spec.substring(0, colon).trim() : spec;
    Optional<String> specModel = colon >= 0 ? nonBlank(spec.substring(colon + 1)) : Optional.empty();
    Optional<String> model = nonBlank(modelName).or(() -> specModel);
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "anthropic" -> new AnthropicChatModel(new ProviderConfig(
          nonBlank(env.get("ANTHROPIC_BASE_URL")).orElse(AnthropicChatModel.DEFAULT_BASE_URL),
          requireKey(env, "ANTHROPIC_API_KEY", "anthropic"),
          model.or(() -> nonBlank(env.get("ANTHROPIC_MODEL"))).orElse(DEFAULT_ANTHROPIC_MODEL),
          resilience));
      case "openai" -> new OpenAiCompatibleChatModel(new ProviderConfig(
          nonBlank(env.get("OPENAI_BASE_URL")).orElse(OpenAiCompatibleChatModel.DEFAULT_BASE_URL),
          requireKey(env, "OPENAI_API_KEY", "openai"),
          model.or(() -> nonBlank(env.get("OPENAI_MODEL"))).orElse(DEFAULT_OPENAI_MODEL),
          resilience));
      case "none" -> none();
      default -> throw new BadInputException(
          "unknown LLM provider '" + provider + "': expected anthropic, openai or none");
    };
  }

  /** The {@code none} provider: every call fails with {@link LlmException.Kind#CLIENT_ERROR}. */
  public static ChatModel none() {
    return NoChatModel.INSTANCE;
  }

  private static String requireKey(Map<String, String> env, String variable, String provider) {
    String key = env.get(variable);
    if (key == null || key.isBlank()) {
      throw new BadInputException(variable + " is not set: the " + provider
          + " provider needs an API key (export " + variable + "=...)");
    }
    return key.trim();
  }

  /** {@code value} trimmed, or empty when it is null (an unset variable) or blank. */
  private static Optional<String> nonBlank(@Nullable String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  /** Fails every call: Parley was started with {@code --llm none}. */
  private enum NoChatModel implements ChatModel {
    INSTANCE;

    private static final String MESSAGE =
        "no LLM provider is configured (--llm none): start with --llm anthropic (ANTHROPIC_API_KEY) "
            + "or --llm openai (OPENAI_API_KEY)";

    @Override
    public String provider() {
      return "none";
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
      throw new LlmException(LlmException.Kind.CLIENT_ERROR, MESSAGE);
    }

    @Override
    public ChatResponse stream(ChatRequest request, StreamListener listener) {
      throw new LlmException(LlmException.Kind.CLIENT_ERROR, MESSAGE);
    }
  }
}
