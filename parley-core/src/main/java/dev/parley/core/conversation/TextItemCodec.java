package dev.parley.core.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.error.BadInputException;
import dev.parley.core.json.Json;
import java.util.Optional;

/** Reads and writes text items {@code {"id","text","label"?}} (DESIGN §4). */
public final class TextItemCodec {
  public TextItem parse(String line) {
    JsonNode node = Json.parseInput(line);
    if (node == null || !node.isObject()) {
      throw new BadInputException("expected a JSON object");
    }
    JsonNode id = node.get("id");
    if (id == null || !(id.isTextual() || id.isIntegralNumber()) || id.asText().isBlank()) {
      throw new BadInputException("missing string field 'id'");
    }
    JsonNode text = node.get("text");
    if (text == null || !text.isTextual()) {
      throw new BadInputException("item '" + id.asText() + "': missing string field 'text'");
    }
    if (text.asText().isBlank()) {
      throw new BadInputException("item '" + id.asText() + "': 'text' is blank");
    }
    JsonNode label = node.get("label");
    Optional<String> labelValue = label == null || label.isNull() ? Optional.empty() : Optional.of(label.asText());
    return new TextItem(id.asText(), text.asText(), labelValue);
  }

  public ObjectNode toJson(TextItem item) {
    ObjectNode node = Json.object();
    node.put("id", item.id());
    node.put("text", item.text());
    item.label().ifPresent(l -> node.put("label", l));
    return node;
  }
}
