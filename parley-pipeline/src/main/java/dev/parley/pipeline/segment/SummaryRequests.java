package dev.parley.pipeline.segment;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import dev.parley.insights.summary.SummaryRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * What a segment's summary is made from, the one rule for {@code analyze} and {@code segment}: the customer's
 * messages (or, in a segment without one, its first message, so that no segment is summarised from nothing)
 * and the transcript an LLM reads (every message but system ones, as {@code speaker: text} lines).
 */
public final class SummaryRequests {
  private SummaryRequests() {}

  /** Segment {@code index} of {@code c}, messages {@code [start, end)}; its id is {@code C#index}. */
  public static SummaryRequest of(Conversation c, int start, int end, int index) {
    List<Message> messages = c.messages().subList(start, end);
    List<String> user = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    for (Message m : messages) {
      if (m.speaker() == Speaker.USER) {
        user.add(m.text());
      }
      if (m.speaker() != Speaker.SYSTEM) {
        transcript.append(m.speaker().wireName()).append(": ").append(m.text().strip()).append('\n');
      }
    }
    return new SummaryRequest(c.id() + "#" + index, user.isEmpty() ? List.of(messages.get(0).text()) : user, transcript.toString());
  }
}
