package dev.parley.core.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes the conversation JSON Lines format of DESIGN §4. Every problem is a
 * {@link BadInputException} whose message names the field and says what is wrong.
 */
public final class ConversationCodec {
  /** Default bounds: generous for real logs, small enough that one line cannot exhaust memory. */
  public static final int DEFAULT_MAX_MESSAGE_CHARS = 100_000;
  public static final int DEFAULT_MAX_MESSAGES = 20_000;

  private static final Set<String> KNOWN = Set.of("id", "tenant", "user", "started_at", "messages", "metadata");
  private static final Set<String> KNOWN_MESSAGE = Set.of("speaker", "text", "at");

  private final int maxMessageChars;
  private final int maxMessages;

  public ConversationCodec() {
    this(DEFAULT_MAX_MESSAGE_CHARS, DEFAULT_MAX_MESSAGES);
  }

  public ConversationCodec(int maxMessageChars, int maxMessages) {
    if (maxMessageChars < 1) {
      throw new IllegalArgumentException("maxMessageChars must be >= 1, was " + maxMessageChars);
    }
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be >= 1, was " + maxMessages);
    }
    this.maxMessageChars = maxMessageChars;
    this.maxMessages = maxMessages;
  }

  public Conversation parse(String line) {
    JsonNode node = Json.parseInput(line);
    return fromJson(node);
  }

  public Conversation fromJson(@Nullable JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new BadInputException("expected a JSON object");
    }
    String id = requiredString(node, "id", "id");
    ArrayNode messagesNode = switch (node.get("messages")) {
      case null -> throw new BadInputException("conversation '" + id + "': missing field 'messages'");
      case ArrayNode array -> array;
      default -> throw new BadInputException("conversation '" + id + "': 'messages' must be an array");
    };
    if (messagesNode.isEmpty()) {
      throw new BadInputException("conversation '" + id + "': 'messages' is empty");
    }
    if (messagesNode.size() > maxMessages) {
      throw new BadInputException("conversation '" + id + "': " + messagesNode.size() + " messages, more than the limit of " + maxMessages);
    }
    List<Message> messages = new ArrayList<>(messagesNode.size());
    for (int i = 0; i < messagesNode.size(); i++) {
      messages.add(message(id, i, messagesNode.get(i)));
    }
    ObjectNode metadata = switch (node.get("metadata")) {
      case null -> Json.object();
      case ObjectNode object -> object.deepCopy();
      default -> {
        if (node.get("metadata").isNull()) {
          yield Json.object();
        }
        throw new BadInputException("conversation '" + id + "': 'metadata' must be an object");
      }
    };
    return new Conversation(
        id,
        optionalString(node, "tenant", id),
        optionalString(node, "user", id),
        optionalInstant(node, "started_at", "conversation '" + id + "'"),
        messages,
        metadata,
        extra(node, KNOWN));
  }

  private Message message(String id, int index, JsonNode node) {
    String where = "conversation '" + id + "' message " + index;
    if (node == null || !node.isObject()) {
      throw new BadInputException(where + ": expected a JSON object");
    }
    JsonNode speakerNode = node.get("speaker");
    if (speakerNode == null || !speakerNode.isTextual()) {
      throw new BadInputException(where + ": missing string field 'speaker'");
    }
    Speaker speaker;
    try {
      speaker = Speaker.parse(speakerNode.asText());
    } catch (BadInputException e) {
      throw new BadInputException(where + ": " + e.getMessage());
    }
    JsonNode textNode = node.get("text");
    if (textNode == null || !textNode.isTextual()) {
      throw new BadInputException(where + ": missing string field 'text'");
    }
    String text = textNode.asText();
    if (text.length() > maxMessageChars) {
      throw new BadInputException(where + ": text has " + text.length() + " characters, more than the limit of " + maxMessageChars);
    }
    return new Message(speaker, text, optionalInstant(node, "at", where), extra(node, KNOWN_MESSAGE));
  }

  public ObjectNode toJson(Conversation conversation) {
    ObjectNode node = Json.object();
    node.put("id", conversation.id());
    conversation.tenant().ifPresent(t -> node.put("tenant", t));
    conversation.user().ifPresent(u -> node.put("user", u));
    conversation.startedAt().ifPresent(s -> node.put("started_at", s.toString()));
    ArrayNode messages = node.putArray("messages");
    for (Message message : conversation.messages()) {
      ObjectNode m = messages.addObject();
      m.put("speaker", message.speaker().wireName());
      m.put("text", message.text());
      message.at().ifPresent(at -> m.put("at", at.toString()));
      message.extra().properties().forEach(e -> m.set(e.getKey(), e.getValue()));
    }
    if (!conversation.metadata().isEmpty()) {
      node.set("metadata", conversation.metadata());
    }
    conversation.extra().properties().forEach(e -> node.set(e.getKey(), e.getValue()));
    return node;
  }

  public String toLine(Conversation conversation) {
    return Json.write(toJson(conversation));
  }

  private static String requiredString(JsonNode node, String field, String what) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new BadInputException("missing field '" + what + "'");
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw new BadInputException("field '" + what + "' must be a string");
    }
    String text = value.asText();
    if (text.isBlank()) {
      throw new BadInputException("field '" + what + "' is blank");
    }
    return text;
  }

  private static Optional<String> optionalString(JsonNode node, String field, String id) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual() && !value.isIntegralNumber()) {
      throw new BadInputException("conversation '" + id + "': '" + field + "' must be a string");
    }
    return Optional.of(value.asText());
  }

  private static Optional<Instant> optionalInstant(JsonNode node, String field, String where) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new BadInputException(where + ": '" + field + "' must be an ISO-8601 timestamp string");
    }
    try {
      return Optional.of(Timestamps.parse(value.asText()));
    } catch (DateTimeParseException e) {
      throw new BadInputException(where + ": '" + field + "' is not an ISO-8601 timestamp: " + value.asText());
    }
  }

  private static ObjectNode extra(JsonNode node, Set<String> known) {
    ObjectNode extra = Json.object();
    node.properties().forEach(e -> {
      if (!known.contains(e.getKey())) {
        extra.set(e.getKey(), e.getValue());
      }
    });
    return extra;
  }
}
