package dev.parley.core.chat;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A tool offered to the model: name, description and the JSON Schema of its input. */
public record ToolSpec(String name, String description, ObjectNode inputSchema) {
  public ToolSpec {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(inputSchema, "inputSchema is null");
  }
}
