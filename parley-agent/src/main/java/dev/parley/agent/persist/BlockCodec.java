package dev.parley.agent.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of message content, versioned (STYLE 24): {@code {"v": 1, "blocks": [...]}} with
 * blocks as in the Anthropic Messages API ({@code text}, {@code tool_use}, {@code tool_result}).
 * The reader rejects unknown versions and malformed blocks with "expected X, found Y" messages.
 *
 * <p>A v1 fixture lives in {@code src/test/resources/persist/message-v1.json}; regenerate it with
 * {@code BlockCodecTest.writeFixture} only when adding a version, never by editing v1.
 */
public final class BlockCodec {
  public static final int VERSION = 1;

  private BlockCodec() {}

  public static ObjectNode encode(List<ContentBlock> blocks) {
    ObjectNode root = Json.object().put("v", VERSION);
    ArrayNode array = root.putArray("blocks");
    blocks.forEach(b -> array.add(block(b)));
    return root;
  }

  /** One block in the wire format shared by the store and the HTTP API. */
  public static ObjectNode block(ContentBlock block) {
    return switch (block) {
      case ContentBlock.Text t -> Json.object().put("type", "text").put("text", t.text());
      case ContentBlock.ToolUse u -> {
        ObjectNode node = Json.object().put("type", "tool_use").put("id", u.id()).put("name", u.name());
        node.set("input", u.input());
        yield node;
      }
      case ContentBlock.ToolResult r -> Json.object()
          .put("type", "tool_result").put("tool_use_id", r.toolUseId()).put("content", r.content()).put("is_error", r.isError());
    };
  }

  public static List<ContentBlock> decode(JsonNode root) {
    int version = root.path("v").asInt(-1);
    if (version != VERSION) {
      throw new IllegalStateException("stored message content: expected version " + VERSION + ", found " + root.path("v"));
    }
    JsonNode blocks = root.path("blocks");
    if (!blocks.isArray() || blocks.isEmpty()) {
      throw new IllegalStateException("stored message content: expected a non-empty blocks array, found " + blocks.getNodeType());
    }
    List<ContentBlock> out = new ArrayList<>(blocks.size());
    for (JsonNode b : blocks) {
      String type = b.path("type").asText();
      out.add(switch (type) {
        case "text" -> new ContentBlock.Text(b.path("text").asText());
        case "tool_use" -> {
          JsonNode input = b.path("input");
          if (!input.isObject()) {
            throw new IllegalStateException("stored tool_use " + b.path("id").asText() + ": expected an object input, found " + input.getNodeType());
          }
          yield new ContentBlock.ToolUse(b.path("id").asText(), b.path("name").asText(), (ObjectNode) input);
        }
        case "tool_result" -> new ContentBlock.ToolResult(b.path("tool_use_id").asText(), b.path("content").asText(), b.path("is_error").asBoolean());
        default -> throw new IllegalStateException("stored message content: expected block type text, tool_use or tool_result, found '" + type + "'");
      });
    }
    return out;
  }
}
