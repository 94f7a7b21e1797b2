package dev.parley.agent.definition;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.chat.ToolSpec;

/** A tool of one phase: what the model is offered ({@link #spec}) and what an allowed call does. */
public record ToolDefinition(String name, String description, String phase, InputSchema inputSchema, ToolAction action) {
  public ToolDefinition {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(inputSchema, "inputSchema is null");
    requireNonNull(action, "action is null");
    if (!AgentDefinition.TOOL_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("tool name must match " + AgentDefinition.TOOL_NAME.pattern() + ", was '" + name + "'");
    }
  }

  public ToolSpec spec() {
    ObjectNode schema = inputSchema.jsonUnsafe();
    return new ToolSpec(name, description, schema);
  }
}
