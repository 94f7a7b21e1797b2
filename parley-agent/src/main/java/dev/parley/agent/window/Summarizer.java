package dev.parley.agent.window;

import static java.util.Objects.requireNonNull;

import dev.parley.agent.session.MessageKind;
import dev.parley.agent.session.StoredMessage;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatModel;
import dev.parley.core.chat.ChatRequest;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import java.util.List;
import java.util.Optional;

/** Writes the rolling summary with a (usually cheaper) model: previous summary + folded messages -> new summary. */
public final class Summarizer {
  static final int MAX_SUMMARY_TOKENS = 600;
  static final String SYSTEM = """
      You maintain the running summary of a conversation between a user and an AI assistant. Merge the previous
      summary (if any) and the new messages into one summary of at most 250 words. Keep every fact the assistant
      will need later: who the user is, what they said about their situation, decisions made, tool results and
      open questions. Write plain prose in the third person. Output only the summary.""";

  private final ChatModel model;

  public Summarizer(ChatModel model) {
    this.model = requireNonNull(model, "model is null");
  }

  public ChatModel model() {
    return model;
  }

  public ChatResponse summarize(String modelName, Optional<String> previous, List<StoredMessage> folded) {
    requireNonNull(modelName, "modelName is null");
    requireNonNull(previous, "previous is null");
    requireNonNull(folded, "folded is null");
    ChatRequest request = new ChatRequest(modelName, SYSTEM, List.of(ChatMessage.user(transcript(previous, folded))), List.of(),
        MAX_SUMMARY_TOKENS, 0.0, false);
    return model.chat(request);
  }

  /** The folded messages as plain text, tool calls and results included (they carry facts). */
  static String transcript(Optional<String> previous, List<StoredMessage> folded) {
    StringBuilder sb = new StringBuilder();
    sb.append("Previous summary:\n").append(previous.orElse("(none)")).append("\n\nNew messages:\n");
    for (StoredMessage m : folded) {
      for (ContentBlock block : m.blocks()) {
        switch (block) {
          case ContentBlock.Text t -> {
            // An empty reply (stored so its turn has an answer) says nothing worth summarising.
            if (!t.text().isBlank()) {
              sb.append(m.kind() == MessageKind.ASSISTANT ? "Assistant: " : "User: ").append(t.text()).append('\n');
            }
          }
          case ContentBlock.ToolUse u -> sb.append("[assistant called ").append(u.name()).append(' ').append(Json.write(u.input())).append("]\n");
          case ContentBlock.ToolResult r -> sb.append("[tool result").append(r.isError() ? " (error)" : "").append(": ").append(r.content()).append("]\n");
        }
      }
    }
    return sb.toString();
  }
}
