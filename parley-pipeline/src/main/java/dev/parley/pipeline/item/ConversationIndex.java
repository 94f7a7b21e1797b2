package dev.parley.pipeline.item;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.Conversation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's conversations by id, for the stages that walk its segmentations. Segments come from the same run as
 * the conversations, so an unknown id is a bug, not bad input.
 */
public final class ConversationIndex {
  private final Map<String, Conversation> byId = new HashMap<>();

  public ConversationIndex(List<Conversation> conversations) {
    requireNonNull(conversations, "conversations is null").forEach(c -> byId.put(c.id(), c));
  }

  public Conversation get(String id) {
    Conversation c = byId.get(id);
    if (c == null) {
      throw new IllegalStateException("segments name conversation '" + id + "', which the run's conversations do not have");
    }
    return c;
  }
}
