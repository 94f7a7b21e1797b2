package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An allowed, schema-valid tool call as a handler sees it. {@code input} and {@code fields} are copies:
 * a handler changes the session only through its {@link ToolOutcome}.
 */
public record ToolInvocation(
    String tenantId, String sessionId, String agent, String phase, String toolUseId, String toolName, ObjectNode input, ObjectNode fields) {
  public ToolInvocation {
    requireNonNull(tenantId, "tenantId is null");
    requireNonNull(sessionId, "sessionId is null");
    requireNonNull(agent, "agent is null");
    requireNonNull(phase, "phase is null");
    requireNonNull(toolUseId, "toolUseId is null");
    requireNonNull(toolName, "toolName is null");
    input = requireNonNull(input, "input is null").deepCopy();
    fields = requireNonNull(fields, "fields is null").deepCopy();
  }
}
