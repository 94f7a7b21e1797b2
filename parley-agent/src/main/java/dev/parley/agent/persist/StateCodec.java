package dev.parley.agent.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;

/**
 * The stored form of a session's agent state (its fields), versioned (STYLE 24):
 * {@code {"v": 1, "fields": {...}}}. Unknown versions are rejected.
 */
public final class StateCodec {
  public static final int VERSION = 1;

  private StateCodec() {}

  public static ObjectNode encode(ObjectNode fields) {
    ObjectNode root = Json.object().put("v", VERSION);
    root.set("fields", fields);
    return root;
  }

  public static ObjectNode decode(JsonNode root) {
    int version = root.path("v").asInt(-1);
    if (version != VERSION) {
      throw new IllegalStateException("stored session state: expected version " + VERSION + ", found " + root.path("v"));
    }
    JsonNode fields = root.path("fields");
    if (!fields.isObject()) {
      throw new IllegalStateException("stored session state: expected an object of fields, found " + fields.getNodeType());
    }
    return (ObjectNode) fields;
  }
}
