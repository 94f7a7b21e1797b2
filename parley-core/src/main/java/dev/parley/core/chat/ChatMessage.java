package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** One message of the provider conversation. Tool results travel in USER messages, as in Anthropic's API. */
public record ChatMessage(Role role, List<ContentBlock> content) {
  public enum Role { USER, ASSISTANT }

  public ChatMessage {
    requireNonNull(role, "role is null");
    content = List.copyOf(requireNonNull(content, "content is null"));
    if (content.isEmpty()) {
      throw new IllegalArgumentException("content is empty");
    }
  }

  public static ChatMessage user(String text) {
    return new ChatMessage(Role.USER, List.of(new ContentBlock.Text(text)));
  }

  public static ChatMessage assistant(String text) {
    return new ChatMessage(Role.ASSISTANT, List.of(new ContentBlock.Text(text)));
  }

  /** The concatenated text blocks. */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (ContentBlock block : content) {
      if (block instanceof ContentBlock.Text t) {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  public List<ContentBlock.ToolUse> toolUses() {
    return content.stream().filter(ContentBlock.ToolUse.class::isInstance).map(ContentBlock.ToolUse.class::cast).toList();
  }
}
