package dev.parley.pipeline.item;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one rule that turns a whole conversation into a text to cluster or assign (for {@code ./parley cluster},
 * {@code ./parley assign} and {@code POST /v1/assign}): the customer's messages, joined by a space. What the
 * assistant said is left out: a map of what users want is built from what users say.
 */
public final class ConversationText {
  private ConversationText() {}

  /** The customer's words, or empty when the conversation has no (non-blank) user message. */
  public static Optional<String> of(Conversation conversation) {
    String text = conversation.messages().stream().filter(m -> m.speaker() == Speaker.USER).map(Message::text)
        .collect(Collectors.joining(" "));
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }
}
