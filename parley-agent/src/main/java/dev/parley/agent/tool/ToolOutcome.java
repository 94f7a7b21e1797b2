package dev.parley.agent.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.parley.core.json.Json;
import java.util.Optional;

/**
 * What a tool call produced: the tool_result content for the model, and the session changes to apply
 * (fields to set, a phase to move to). An error outcome changes nothing.
 */
public record ToolOutcome(String content, boolean isError, ObjectNode setFields, Optional<String> transition) {
  public ToolOutcome {
    requireNonNull(content, "content is null");
    setFields = requireNonNull(setFields, "setFields is null").deepCopy();
    requireNonNull(transition, "transition is null");
    if (isError && (!setFields.isEmpty() || transition.isPresent())) {
      throw new IllegalArgumentException("an error outcome cannot set fields or transition");
    }
  }

  public static ToolOutcome ok(String content) {
    return new ToolOutcome(content, false, Json.object(), Optional.empty());
  }

  public static ToolOutcome error(String content) {
    return new ToolOutcome(content, true, Json.object(), Optional.empty());
  }
}
