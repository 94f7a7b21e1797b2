package dev.parley.cli.intercom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Intercom conversation JSON to Parley conversations. The opening message is {@code source}; replies are
 * {@code conversation_parts.conversation_parts}. Authors map as: {@code user}, {@code lead},
 * {@code contact} to {@code user}; {@code admin} and {@code team} to {@code support}; {@code bot} to
 * {@code assistant}. Parts without text (assignments, open/close events) and internal {@code note}s are
 * skipped. Bodies are HTML: tags are stripped, block ends become line breaks, entities are decoded.
 */
public final class IntercomConversions {
  private IntercomConversions() {}

  /** Empty when the conversation has no message with text. */
  public static Optional<Conversation> toConversation(JsonNode c) {
    String id = c.path("id").asText("");
    if (id.isBlank()) {
      return Optional.empty();
    }
    List<Message> messages = new ArrayList<>();
    JsonNode source = c.path("source");
    Instant created = c.has("created_at") ? Instant.ofEpochSecond(c.get("created_at").asLong()) : null;
    add(messages, source.path("author").path("type").asText("user"), source.path("body").asText(""), Optional.ofNullable(created));
    for (JsonNode part : c.path("conversation_parts").path("conversation_parts")) {
      if (part.path("part_type").asText("").equals("note")) {
        continue;
      }
      Optional<Instant> at = part.has("created_at") ? Optional.of(Instant.ofEpochSecond(part.get("created_at").asLong())) : Optional.empty();
      add(messages, part.path("author").path("type").asText(""), part.path("body").asText(""), at);
    }
    if (messages.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode metadata = Json.object();
    metadata.put("source", "intercom");
    if (c.hasNonNull("state")) {
      metadata.put("state", c.get("state").asText());
    }
    return Optional.of(new Conversation("intercom-" + id, Optional.empty(), Optional.empty(), Optional.ofNullable(created), messages, metadata, Json.object()));
  }

  private static void add(List<Message> messages, String authorType, String html, Optional<Instant> at) {
    String text = htmlToText(html);
    if (text.isBlank()) {
      return;
    }
    Speaker speaker = switch (authorType.toLowerCase(Locale.ROOT)) {
      case "admin", "team" -> Speaker.SUPPORT;
      case "bot" -> Speaker.ASSISTANT;
      default -> Speaker.USER;
    };
    messages.add(new Message(speaker, text, at, Json.object()));
  }

  /** Plain text of an Intercom HTML body. */
  static String htmlToText(String html) {
    String s = html.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("(?i)</(p|div|li|h[1-6])>", "\n").replaceAll("<[^>]*>", "");
    s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
