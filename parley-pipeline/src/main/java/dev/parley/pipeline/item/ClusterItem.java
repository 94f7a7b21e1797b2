package dev.parley.pipeline.item;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One thing to cluster: a text item, or a conversation segment (its summary as text).
 *
 * @param user the user id, or empty when unknown (the privacy rule then counts the conversation)
 * @param conversation the conversation it came from (the item's own id for single utterances)
 * @param at when it happened, for trends
 */
public record ClusterItem(String id, String text, String user, String conversation, Optional<Instant> at) {
  public ClusterItem {
    requireNonNull(id, "id is null");
    requireNonNull(text, "text is null");
    requireNonNull(user, "user is null");
    requireNonNull(conversation, "conversation is null");
    requireNonNull(at, "at is null");
  }
}
