package dev.parley.fakes;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request a fake server received: header names lower-cased, the body as text and as parsed JSON
 * ({@link com.fasterxml.jackson.databind.node.MissingNode} when it is not JSON).
 *
 * @param sequence 1 for the first request the server saw
 */
public record RecordedRequest(int sequence, String method, String path, Map<String, List<String>> headers, String body,
    JsonNode json) {

  public RecordedRequest {
    requireNonNull(method, "method is null");
    requireNonNull(path, "path is null");
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    requireNonNull(body, "body is null");
    requireNonNull(json, "json is null");
  }

  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** The node at a JSON pointer, e.g. {@code /tools/0/name}; missing node when absent. */
  public JsonNode at(String pointer) {
    return json.at(pointer);
  }

  public boolean stream() {
    return json.path("stream").asBoolean(false);
  }

  public String model() {
    return json.path("model").asText("");
  }

  /** Offered tool names: Anthropic {@code tools[].name}, OpenAI {@code tools[].function.name}. */
  public List<String> toolNames() {
    List<String> names = new ArrayList<>();
    for (JsonNode tool : json.path("tools")) {
      names.add(tool.has("function") ? tool.path("function").path("name").asText() : tool.path("name").asText());
    }
    return names;
  }

  /**
   * The system prompt: Anthropic's {@code system} (a string or text blocks, joined), or the content of
   * OpenAI's system/developer messages.
   */
  public String systemPrompt() {
    JsonNode system = json.path("system");
    if (system.isTextual()) {
      return system.asText();
    }
    StringBuilder sb = new StringBuilder();
    if (system.isArray()) {
      system.forEach(b -> sb.append(b.path("text").asText()));
      return sb.toString();
    }
    for (JsonNode m : json.path("messages")) {
      String role = m.path("role").asText();
      if (role.equals("system") || role.equals("developer")) {
        sb.append(textOf(m.path("content")));
      }
    }
    return sb.toString();
  }

  /** The provider-format messages array. */
  public JsonNode messages() {
    return json.path("messages");
  }

  /** The last message's text (text blocks joined): the user's latest words in most requests. */
  public String lastMessageText() {
    JsonNode messages = json.path("messages");
    return messages.isEmpty() ? "" : textOf(messages.get(messages.size() - 1).path("content"));
  }

  /** Whether any {@code cache_control} marker appears anywhere in the body. */
  public boolean hasCacheControl() {
    return !json.findValues("cache_control").isEmpty();
  }

  private static String textOf(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        sb.append(part.path("text").asText());
      }
    }
    return sb.toString();
  }
}
