package dev.parley.insights.segment;

import static java.util.Objects.requireNonNull;

/**
 * Consecutive messages of one side of the conversation.
 *
 * @param user true for the customer's side, false for the responders (assistant or support)
 * @param text the messages' texts joined by newlines (system messages excluded)
 * @param messageStart index of the first message covered (inclusive)
 * @param messageEnd index after the last message covered (exclusive)
 */
public record Turn(boolean user, String text, int messageStart, int messageEnd) {
  public Turn {
    requireNonNull(text, "text is null");
    if (messageStart < 0 || messageEnd <= messageStart) {
      throw new IllegalArgumentException("message range must be non-empty and non-negative, was [" + messageStart + ", " + messageEnd + ")");
    }
  }
}
