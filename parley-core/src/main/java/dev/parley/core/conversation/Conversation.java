package dev.parley.core.conversation;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A conversation as read from JSON Lines (DESIGN §4) or the store.
 *
 * @param metadata the input's {@code metadata} object (empty when absent)
 * @param extra unknown top-level fields, kept and ignored
 */
public record Conversation(
    String id,
    Optional<String> tenant,
    Optional<String> user,
    Optional<Instant> startedAt,
    List<Message> messages,
    ObjectNode metadata,
    ObjectNode extra) {

  public Conversation {
    requireNonNull(id, "id is null");
    if (id.isBlank()) {
      throw new IllegalArgumentException("id is blank");
    }
    requireNonNull(tenant, "tenant is null");
    requireNonNull(user, "user is null");
    requireNonNull(startedAt, "startedAt is null");
    messages = List.copyOf(requireNonNull(messages, "messages is null"));
    requireNonNull(metadata, "metadata is null");
    requireNonNull(extra, "extra is null");
  }

  public static Conversation of(String id, List<Message> messages) {
    return new Conversation(id, Optional.empty(), Optional.empty(), Optional.empty(), messages, Json.object(), Json.object());
  }

  /** The timestamp the conversation started at: {@code started_at}, else its first timed message. */
  public Optional<Instant> effectiveStart() {
    if (startedAt.isPresent()) {
      return startedAt;
    }
    return messages.stream().flatMap(m -> m.at().stream()).findFirst();
  }
}
