package dev.parley.llm.chat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.parley.core.chat.ToolSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Converts our tools' JSON Schema ({@link ObjectNode}) into LangChain4j's schema elements so the provider
 * receives the schema we wrote. A node uses a typed element (object, string, string enum, number, integer,
 * boolean, array, anyOf, null) when that element renders every keyword the node has; any node with a
 * keyword the typed elements cannot carry ({@code minimum}, {@code pattern}, {@code format}, {@code $ref},
 * {@code oneOf}, {@code const}, {@code default}, a type list, ...) travels verbatim as a
 * {@link JsonRawSchema}. The top level must be an object schema (LangChain4j's tool parameters are one);
 * there {@code $schema} and {@code title} are dropped (annotations), so is {@code additionalProperties}
 * (LangChain4j sends it only in strict mode, which changes other semantics; providers do not enforce it
 * otherwise, and Parley's guard validates inputs against the full schema), a missing {@code required}
 * goes out as {@code []} (same meaning), and any other keyword is rejected rather than silently lost.
 */
final class ToolSchemas {
  private static final Set<String> OBJECT_KEYS = Set.of("type", "description", "properties", "required", "additionalProperties");
  private static final Set<String> TOP_LEVEL_DROPPED = Set.of("$schema", "title");
  private static final Set<String> SCALAR_KEYS = Set.of("type", "description");
  private static final Set<String> ENUM_KEYS = Set.of("type", "description", "enum");
  private static final Set<String> ARRAY_KEYS = Set.of("type", "description", "items");
  private static final Set<String> ANY_OF_KEYS = Set.of("description", "anyOf");

  private ToolSchemas() {}

  static ToolSpecification toSpecification(ToolSpec tool) {
    requireNonNull(tool, "tool is null");
    ToolSpecification.Builder b = ToolSpecification.builder()
        .name(tool.name())
        .parameters(topLevel(tool.name(), tool.inputSchema()));
    if (!tool.description().isEmpty()) {
      b.description(tool.description());
    }
    return b.build();
  }

  static JsonObjectSchema topLevel(String toolName, ObjectNode schema) {
    JsonNode type = schema.get("type");
    if (type != null && !"object".equals(type.asText())) {
      throw new IllegalArgumentException("tool '" + toolName + "': inputSchema type must be \"object\", was " + type);
    }
    for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!OBJECT_KEYS.contains(key) && !TOP_LEVEL_DROPPED.contains(key)) {
        throw new IllegalArgumentException("tool '" + toolName + "': inputSchema keyword '" + key
            + "' at the top level cannot be sent to the provider; supported there: " + OBJECT_KEYS);
      }
    }
    JsonNode additional = schema.get("additionalProperties");
    if (additional != null && !additional.isBoolean()) {
      throw new IllegalArgumentException("tool '" + toolName + "': top-level additionalProperties must be a boolean, was "
          + additional);
    }
    return object(schema);
  }

  private static JsonObjectSchema object(JsonNode node) {
    JsonObjectSchema.Builder b = JsonObjectSchema.builder();
    if (node.has("description")) {
      b.description(node.get("description").asText());
    }
    Map<String, JsonSchemaElement> properties = new LinkedHashMap<>();
    node.path("properties").properties().forEach(e -> properties.put(e.getKey(), element(e.getValue())));
    b.addProperties(properties);
    if (node.has("required")) {
      List<String> required = new ArrayList<>();
      node.get("required").forEach(r -> required.add(r.asText()));
      b.required(required);
    }
    if (node.has("additionalProperties")) {
      b.additionalProperties(node.get("additionalProperties").asBoolean());
    }
    return b.build();
  }

  static JsonSchemaElement element(JsonNode node) {
    if (!node.isObject()) {
      // e.g. `true` as a schema: only expressible raw.
      return JsonRawSchema.from(node.toString());
    }
    JsonNode typeNode = node.get("type");
    String type = typeNode != null && typeNode.isTextual() ? typeNode.asText() : null;
    String description = node.has("description") ? node.get("description").asText() : null;
    if (typeNode == null && node.has("anyOf") && only(node, ANY_OF_KEYS) && node.get("anyOf").isArray()) {
      List<JsonSchemaElement> options = new ArrayList<>();
      node.get("anyOf").forEach(o -> options.add(element(o)));
      return JsonAnyOfSchema.builder().description(description).anyOf(options).build();
    }
    if (type == null) {
      return JsonRawSchema.from(node.toString());
    }
    return switch (type) {
      case "object" -> objectElement(node);
      case "string" -> {
        if (node.has("enum") && only(node, ENUM_KEYS) && allText(node.get("enum"))) {
          List<String> values = new ArrayList<>();
          node.get("enum").forEach(v -> values.add(v.asText()));
          yield JsonEnumSchema.builder().description(description).enumValues(values).build();
        }
        yield only(node, SCALAR_KEYS) ? JsonStringSchema.builder().description(description).build() : raw(node);
      }
      case "integer" -> only(node, SCALAR_KEYS) ? JsonIntegerSchema.builder().description(description).build() : raw(node);
      case "number" -> only(node, SCALAR_KEYS) ? JsonNumberSchema.builder().description(description).build() : raw(node);
      case "boolean" -> only(node, SCALAR_KEYS) ? JsonBooleanSchema.builder().description(description).build() : raw(node);
      case "null" -> only(node, Set.of("type")) ? new JsonNullSchema() : raw(node);
      case "array" -> {
        JsonNode items = node.get("items");
        if (only(node, ARRAY_KEYS) && items != null && items.isObject()) {
          yield JsonArraySchema.builder().description(description).items(element(items)).build();
        }
        yield raw(node);
      }
      default -> raw(node);
    };
  }

  /**
   * LangChain4j's object element drops {@code additionalProperties} (outside strict mode) and writes
   * {@code "required": []} when there is none, so only objects without the first and with the second
   * go typed; the others travel raw, exactly as written.
   */
  private static JsonSchemaElement objectElement(JsonNode node) {
    boolean typed = only(node, OBJECT_KEYS) && !node.has("additionalProperties")
        && (!node.has("properties") || node.get("properties").isObject())
        && node.path("required").isArray();
    return typed ? object(node) : raw(node);
  }

  private static JsonRawSchema raw(JsonNode node) {
    return JsonRawSchema.from(node.toString());
  }

  private static boolean only(JsonNode node, Set<String> allowed) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      if (!allowed.contains(it.next())) {
        return false;
      }
    }
    JsonNode description = node.get("description");
    return description == null || description.isTextual();
  }

  private static boolean allText(JsonNode values) {
    if (!values.isArray() || values.isEmpty()) {
      return false;
    }
    for (JsonNode v : values) {
      if (!v.isTextual()) {
        return false;
      }
    }
    return true;
  }
}
