package dev.parley.agent.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ContentBlock;
import dev.parley.core.error.BadInputException;
import dev.parley.core.error.LineException;
import dev.parley.core.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads scripted conversations, one JSON object per line:
 * <pre>{@code
 * {"id":"adv-001","description":"...","user_name":"Sam",
 *  "turns":[{"user":"Hi","model":[{"tool_use":{"name":"submit_scores","input":{...}}},{"text":"..."}]}],
 *  "expect":{"final_phase":"context","blocked":1,"executed":0}}
 * }</pre>
 * A model reply is {@code {"text"}}, {@code {"tool_use":{"name","input","id"?}}} or
 * {@code {"blocks":[...]}} of those. Blank lines and lines starting with {@code #} are skipped.
 */
public final class ScriptReader {
  private ScriptReader() {}

  public static List<Script> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException("cannot read script file " + file + ": " + e.getMessage(), e);
    }
    List<Script> scripts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        scripts.add(parse(Json.parseInput(line), scripts.size()));
      } catch (RuntimeException e) {
        throw new LineException(file.toString(), i + 1, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse(""));
      }
    }
    if (scripts.isEmpty()) {
      throw new BadInputException("script file " + file + " holds no conversation");
    }
    return scripts;
  }

  static Script parse(JsonNode node, int index) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("expected a JSON object");
    }
    String id = node.path("id").asText("script-" + (index + 1));
    JsonNode turns = node.path("turns");
    if (!turns.isArray() || turns.isEmpty()) {
      throw new IllegalArgumentException("turns must be a non-empty array");
    }
    List<Script.Turn> parsed = new ArrayList<>();
    int t = 0;
    for (JsonNode turn : turns) {
      String user = turn.path("user").asText("");
      if (user.isBlank()) {
        throw new IllegalArgumentException("turns[" + t + "].user is required");
      }
      List<List<ContentBlock>> replies = new ArrayList<>();
      int r = 0;
      for (JsonNode reply : turn.path("model")) {
        replies.add(reply(reply, id + "_" + t + "_" + r, "turns[" + t + "].model[" + r + "]"));
        r++;
      }
      parsed.add(new Script.Turn(user, replies));
      t++;
    }
    Optional<Script.Expect> expect = Optional.empty();
    JsonNode e = node.path("expect");
    if (e.isObject()) {
      expect = Optional.of(new Script.Expect(
          Optional.ofNullable(e.path("final_phase").textValue()),
          e.has("blocked") ? OptionalInt.of(e.get("blocked").asInt()) : OptionalInt.empty(),
          e.has("executed") ? OptionalInt.of(e.get("executed").asInt()) : OptionalInt.empty()));
    }
    return new Script(id, node.path("description").asText(""), Optional.ofNullable(node.path("user_name").textValue()), parsed, expect);
  }

  private static List<ContentBlock> reply(JsonNode node, String idPrefix, String where) {
    List<ContentBlock> blocks = new ArrayList<>();
    if (node.has("blocks")) {
      int b = 0;
      for (JsonNode block : node.get("blocks")) {
        blocks.add(block(block, idPrefix + "_" + b++, where));
      }
    } else {
      blocks.add(block(node, idPrefix, where));
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException(where + " has no blocks");
    }
    return blocks;
  }

  private static ContentBlock block(JsonNode node, String id, String where) {
    if (node.has("text")) {
      return new ContentBlock.Text(node.get("text").asText());
    }
    JsonNode use = node.path("tool_use");
    if (use.isObject()) {
      String name = use.path("name").asText("");
      if (name.isEmpty()) {
        throw new IllegalArgumentException(where + ".tool_use.name is required");
      }
      JsonNode input = use.path("input");
      ObjectNode in = input.isObject() ? (ObjectNode) input : Json.object();
      return new ContentBlock.ToolUse(use.path("id").asText("toolu_" + id), name, in);
    }
    throw new IllegalArgumentException(where + " must be {\"text\"}, {\"tool_use\"} or {\"blocks\"}");
  }
}
