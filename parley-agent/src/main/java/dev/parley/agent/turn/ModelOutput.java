package dev.parley.agent.turn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.core.chat.ChatMessage;
import dev.parley.core.chat.ChatResponse;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.text.TextChecks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a turn accepts of a model's reply. A model can answer with characters the store cannot hold (NUL,
 * lone surrogates) in its text, a tool name or a tool input: they are replaced with U+FFFD on receipt,
 * before the guard, the tools, the listener or the store see them, so that all of them see the same
 * reply and the turn can be stored (refusing the reply would fail the turn for nothing the user did).
 * A reply can also be empty: the Messages API refuses an assistant message without content when it is
 * sent back, so such text is never stored beside tool calls, nor sent ({@link #isBlank}).
 */
final class ModelOutput {
  private ModelOutput() {}

  /** A reply as the turn uses it, and how many characters were replaced in it. */
  record Cleaned(ChatResponse response, int replaced) {}

  static Cleaned clean(ChatResponse response) {
    int replaced = 0;
    List<ContentBlock> blocks = new ArrayList<>();
    boolean hasToolUse = !response.toolUses().isEmpty();
    for (ContentBlock block : response.message().content()) {
      switch (block) {
        case ContentBlock.Text t -> {
          // Empty text beside tool calls says nothing, and is refused when sent back.
          if (!(hasToolUse && t.text().isBlank())) {
            replaced += TextChecks.countBad(t.text());
            blocks.add(new ContentBlock.Text(TextChecks.sanitize(t.text())));
          }
        }
        case ContentBlock.ToolUse u -> {
          replaced += TextChecks.countBad(u.id()) + TextChecks.countBad(u.name()) + countBad(u.input());
          blocks.add(new ContentBlock.ToolUse(TextChecks.sanitize(u.id()), TextChecks.sanitize(u.name()), TextChecks.sanitize(u.input())));
        }
        case ContentBlock.ToolResult r -> blocks.add(r); // not in a model's reply (ChatResponse allows it; nothing to repair for the model)
      }
    }
    if (blocks.isEmpty()) {
      blocks.add(new ContentBlock.Text(""));
    }
    if (replaced == 0 && blocks.equals(response.message().content())) {
      return new Cleaned(response, 0);
    }
    ChatMessage message = new ChatMessage(ChatMessage.Role.ASSISTANT, blocks);
    return new Cleaned(new ChatResponse(message, response.stopReason(), response.usage(), response.model()), replaced);
  }

  /** Whether an assistant message says nothing: no tool call and no text but blanks (never sent to a model). */
  static boolean isBlank(List<ContentBlock> blocks) {
    for (ContentBlock block : blocks) {
      if (!(block instanceof ContentBlock.Text t) || !t.text().isBlank()) {
        return false;
      }
    }
    return true;
  }

  /** Bad characters in the field names and string values of {@code node}, at any depth. */
  private static int countBad(JsonNode node) {
    if (node.isTextual()) {
      return TextChecks.countBad(node.textValue());
    }
    int count = 0;
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        count += TextChecks.countBad(e.getKey()) + countBad(e.getValue());
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        count += countBad(element);
      }
    }
    return count;
  }
}
