package dev.parley.core.conversation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;

/**
 * One message of a conversation.
 *
 * @param extra unknown fields of the input object, kept so a round trip loses nothing
 */
public record Message(Speaker speaker, String text, Optional<Instant> at, ObjectNode extra) {
  public Message {
    requireNonNull(speaker, "speaker is null");
    requireNonNull(text, "text is null");
    requireNonNull(at, "at is null");
    requireNonNull(extra, "extra is null");
  }

  public static Message of(Speaker speaker, String text) {
    return new Message(speaker, text, Optional.empty(), dev.parley.core.json.Json.object());
  }
}
