package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;

/**
 * A tool's input JSON Schema (draft 2020-12), checked against the meta-schema when loaded and compiled
 * once; {@link #validate} is thread-safe.
 */
public final class InputSchema {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  // The meta-schema ships inside the validator jar (classpath mapping), so no network is needed.
  private static final JsonSchema META = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012));

  private final ObjectNode json;
  private final JsonSchema schema;

  private InputSchema(ObjectNode json, JsonSchema schema) {
    this.json = json;
    this.schema = schema;
  }

  /** Checks {@code json} against the meta-schema; returns the problems (empty when it is a valid object schema). */
  public static List<String> problems(JsonNode json) {
    requireNonNull(json, "json is null");
    if (!json.isObject()) {
      return List.of("input_schema must be a JSON object, found " + json.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
    }
    List<String> problems = new java.util.ArrayList<>(META.validate(json).stream().map(ValidationMessage::getMessage).sorted().toList());
    if (!"object".equals(json.path("type").asText())) {
      problems.add("input_schema.type must be \"object\" (providers require object inputs), found " + json.path("type"));
    }
    return problems;
  }

  /** Compiles a schema that {@link #problems} accepted. */
  public static InputSchema compile(ObjectNode json) {
    List<String> problems = problems(json);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid input_schema: " + String.join("; ", problems));
    }
    return new InputSchema(json.deepCopy(), FACTORY.getSchema(json));
  }

  /** The validation errors of {@code input}, sorted; empty when valid. */
  public List<String> validate(JsonNode input) {
    return schema.validate(requireNonNull(input, "input is null")).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  public ObjectNode json() {
    return json.deepCopy();
  }

  /** The schema without copying, for callers that only read it (request building on the hot path). */
  ObjectNode jsonUnsafe() {
    return json;
  }
}
