package dev.parley.insights.text;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.LlmException;
import dev.parley.core.chat.Usage;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One structured LLM call: the reply must be a JSON object valid against a JSON Schema (networknt
 * validator) and a caller's semantic check. An invalid reply is retried once, telling the model what was
 * wrong; a second invalid reply, or a provider failure, becomes an error value. Never throws for what the
 * model says, so one bad item cannot end a run.
 */
public final class StructuredOutput {
  /**
   * The outcome.
   *
   * @param value the validated JSON, when valid
   * @param usage tokens of all attempts
   * @param attempts calls made (1 or 2)
   * @param error why there is no value
   * @param model the model that answered (as the provider reported it)
   */
  public record Reply(Optional<JsonNode> value, Usage usage, int attempts, Optional<String> error, String model) {}

  private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private final ChatModel chat;
  private final String model;
  private final int maxTokens;

  /**
   * @param model the model to ask for; blank for the provider's configured default
   */
  public StructuredOutput(ChatModel chat, String model, int maxTokens) {
    this.chat = requireNonNull(chat, "chat is null");
    this.model = requireNonNull(model, "model is null");
    if (maxTokens < 16) {
      throw new IllegalArgumentException("maxTokens must be >= 16, was " + maxTokens);
    }
    this.maxTokens = maxTokens;
  }

  public static JsonSchema schema(String json) {
    return SCHEMAS.getSchema(Json.parse(json));
  }

  /**
   * @param check semantic validation beyond the schema: an error message, or empty when fine
   */
  public Reply call(String system, String user, JsonSchema schema, Function<JsonNode, Optional<String>> check) {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.user(user));
    Usage usage = Usage.ZERO;
    String answeredBy = model;
    String problem = "";
    for (int attempt = 1; attempt <= 2; attempt++) {
      ChatResponse response;
      try {
        response = chat.chat(new ChatRequest(model, system, messages, List.of(), maxTokens, 0.0, true));
      } catch (LlmException e) {
        return new Reply(Optional.empty(), usage, attempt, Optional.of("LLM call failed: " + e.getMessage()), answeredBy);
      }
      usage = usage.plus(response.usage());
      answeredBy = response.model();
      String text = response.message().text();
      Optional<JsonNode> parsed = extractJson(text);
      if (parsed.isEmpty()) {
        problem = "the reply is not a JSON object";
      } else {
        Set<ValidationMessage> errors = schema.validate(parsed.get());
        if (!errors.isEmpty()) {
          problem = "the JSON does not match the schema: " + errors.iterator().next().getMessage();
        } else {
          Optional<String> semantic = check.apply(parsed.get());
          if (semantic.isEmpty()) {
            return new Reply(parsed, usage, attempt, Optional.empty(), answeredBy);
          }
          problem = semantic.get();
        }
      }
      messages.add(ChatMessage.assistant(text.isBlank() ? "(empty)" : text));
      messages.add(ChatMessage.user("Your reply was invalid: " + problem + ". Reply again with only the JSON object, nothing else."));
    }
    return new Reply(Optional.empty(), usage, 2, Optional.of("invalid LLM output after one retry: " + problem), answeredBy);
  }

  /** The JSON object in a reply: the whole text, or the span from the first '{' to the last '}' (code fences, chatter). */
  static Optional<JsonNode> extractJson(String text) {
    int start = text.indexOf('{');
    int end = text.lastIndexOf('}');
    if (start < 0 || end <= start) {
      return Optional.empty();
    }
    try {
      JsonNode node = Json.mapper().readTree(text.substring(start, end + 1));
      return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
    } catch (java.io.IOException e) {
      return Optional.empty();
    }
  }
}
