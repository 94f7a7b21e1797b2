package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A block of message content, as in the Anthropic Messages API (text, tool_use, tool_result). */
public sealed interface ContentBlock {

  record Text(String text) implements ContentBlock {
    public Text {
      requireNonNull(text, "text is null");
    }
  }

  /** The model asks to run a tool; {@code id} ties it to the matching {@link ToolResult}. */
  record ToolUse(String id, String name, ObjectNode input) implements ContentBlock {
    public ToolUse {
      requireNonNull(id, "id is null");
      requireNonNull(name, "name is null");
      requireNonNull(input, "input is null");
    }
  }

  record ToolResult(String toolUseId, String content, boolean isError) implements ContentBlock {
    public ToolResult {
      requireNonNull(toolUseId, "toolUseId is null");
      requireNonNull(content, "content is null");
    }
  }
}
