package dev.parley.insights.triage;

import static java.util.Objects.requireNonNull;

import dev.parley.core.conversation.Conversation;
import dev.parley.core.conversation.Message;
import dev.parley.core.conversation.Speaker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What triage reads from a conversation.
 *
 * @param stage1Text the customer's messages before the first support reply (all of them when support
 *     never replied); empty when the customer said nothing
 * @param customerText all of the customer's messages
 * @param supportText all messages of human support agents (speaker {@code support}); empty when none
 * @param transcript the thread as "speaker: text" lines
 * @param tail the last messages of the thread, for resolution detection
 */
public record TriageInput(
    String conversationId, String stage1Text, String customerText, String supportText, String transcript, List<Message> tail, boolean hasResponder) {
  public TriageInput {
    requireNonNull(conversationId, "conversationId is null");
    requireNonNull(stage1Text, "stage1Text is null");
    requireNonNull(customerText, "customerText is null");
    requireNonNull(supportText, "supportText is null");
    requireNonNull(transcript, "transcript is null");
    tail = List.copyOf(requireNonNull(tail, "tail is null"));
  }

  /** Stage 2 runs only when a human support agent replied. */
  public boolean supportReplied() {
    return !supportText.isEmpty();
  }

  public static TriageInput of(Conversation c) {
    List<String> before = new ArrayList<>();
    List<String> customer = new ArrayList<>();
    List<String> support = new ArrayList<>();
    StringBuilder transcript = new StringBuilder();
    boolean supportSeen = false;
    boolean responder = false;
    for (Message m : c.messages()) {
      switch (m.speaker()) {
        case USER -> {
          customer.add(m.text());
          if (!supportSeen) {
            before.add(m.text());
          }
        }
        case SUPPORT -> {
          supportSeen = true;
          responder = true;
          support.add(m.text());
        }
        case ASSISTANT -> responder = true;
        case SYSTEM -> { }
      }
      if (m.speaker() != Speaker.SYSTEM) {
        transcript.append(m.speaker().wireName()).append(": ").append(m.text().strip()).append('\n');
      }
    }
    List<Message> tail = c.messages().subList(Math.max(0, c.messages().size() - 4), c.messages().size());
    return new TriageInput(c.id(), String.join("\n", before.isEmpty() ? customer : before), String.join("\n", customer),
        String.join("\n", support), transcript.toString(), tail, responder);
  }

  public Optional<String> problem() {
    return customerText.isBlank() ? Optional.of("no customer message to classify") : Optional.empty();
  }
}
