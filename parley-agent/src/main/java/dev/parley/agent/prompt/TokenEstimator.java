package dev.parley.agent.prompt;

import dev.parley.core.chat.ContentBlock;
import dev.parley.core.chat.ToolSpec;
import dev.parley.core.json.Json;
import java.util.List;

/**
 * A provider-independent token estimate: about four characters of English per token plus a small
 * per-message and per-block overhead. It only has to be good enough to decide when to fold history;
 * the real counts come back in each response's usage and are what is recorded.
 */
public final class TokenEstimator {
  private static final int CHARS_PER_TOKEN = 4;
  private static final int MESSAGE_OVERHEAD = 4;
  private static final int BLOCK_OVERHEAD = 3;

  private TokenEstimator() {}

  public static int text(String text) {
    return (text.length() + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  public static int blocks(List<ContentBlock> blocks) {
    int tokens = MESSAGE_OVERHEAD;
    for (ContentBlock block : blocks) {
      tokens += BLOCK_OVERHEAD + switch (block) {
        case ContentBlock.Text t -> text(t.text());
        case ContentBlock.ToolUse u -> text(u.name()) + text(Json.write(u.input()));
        case ContentBlock.ToolResult r -> text(r.content());
      };
    }
    return tokens;
  }

  public static int tools(List<ToolSpec> tools) {
    int tokens = 0;
    for (ToolSpec tool : tools) {
      tokens += BLOCK_OVERHEAD + text(tool.name()) + text(tool.description()) + text(Json.write(tool.inputSchema()));
    }
    return tokens;
  }
}
